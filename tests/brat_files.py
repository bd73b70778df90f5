"""brat standoff files written for the tests (never a corpus from outside the repository): offsets found in the
text as brat counts them (code points of the .txt as it is, `\\r\\n` and all), emoji before the spans."""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path

# CRLF line ends, emoji (astral, a flag, a ZWJ sequence) before every span, a quote interrupted by its attribution.
CRLF_TEXT = (
    "Budget day 😀🇫🇷👩‍👩‍👧\r\n"
    "“We will act,” she said, “and soon.”\r\n"
    "The minister said the plan works. Officials added: it is fine.\r\n"
)
# One Source shared by two attributions, and an attribution without a source.
LF_TEXT = (
    "🙂 The mayor said the bridge opens in May. The mayor also said tolls stay.\nIt was reported that costs rose.\n"
)


def span(text: str, words: str, nth: int = 0) -> tuple[int, int]:
    """Where the nth occurrence of `words` is in `text` (code points), as brat writes it."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return start, start + len(words)


def bound(identifier: str, kind: str, text: str, *pieces: tuple[str, int] | str) -> str:
    """A text-bound line over the given pieces of `text` (each a string, or (string, nth))."""
    fragments = [span(text, *(p if isinstance(p, tuple) else (p,))) for p in pieces]
    offsets = ";".join(f"{s} {e}" for s, e in fragments)
    return f"{identifier}\t{kind} {offsets}\t{' '.join(text[s:e] for s, e in fragments)}"


def crlf_ann() -> str:
    t = CRLF_TEXT
    return "\n".join(
        [
            bound("T1", "Content", t, "We will act,", "and soon."),
            bound("T2", "Cue", t, "said"),
            bound("T3", "Attribution", t, "said"),
            bound("T4", "Source", t, "she"),
            "E1\tAttribution:T3 Content:T1 Cue:T2 Source:T4",
            bound("T5", "Source", t, "The minister"),
            bound("T6", "Cue", t, ("said", 1)),
            bound("T7", "Content", t, "the plan works"),
            bound("T8", "Attribution", t, ("said", 1)),
            # Roles in another order than the export writes them: the same event.
            "E2\tAttribution:T8 Source:T5 Content:T7 Cue:T6",
            bound("T9", "Discuss", t, "Officials"),
        ]
    )


def lf_ann() -> str:
    t = LF_TEXT
    return "\n".join(
        [
            bound("T1", "Source", t, "The mayor"),
            bound("T2", "Cue", t, "said"),
            bound("T3", "Content", t, "the bridge opens in May"),
            bound("T4", "Attribution", t, "said"),
            "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
            bound("T5", "Cue", t, "also said"),
            bound("T6", "Content", t, "tolls stay"),
            bound("T7", "Attribution", t, "also said"),
            "E2\tAttribution:T7 Content:T6 Cue:T5 Source:T1",
            bound("T8", "Cue", t, "reported"),
            bound("T9", "Content", t, "that costs rose"),
            bound("T10", "Attribution-no-source", t, "reported"),
            "E3\tAttribution-no-source:T10 Content:T9 Cue:T8 ",  # a trailing space, as PolNeAR has one
            bound("T11", "Discard", t, "It was"),
            "T12\tContent 3 nine\tThe",  # malformed: line 15
            "E4\tAttribution:T4 Content:T99",  # an event naming a span that is not there: line 16
        ]
    )


def files() -> dict[str, str]:
    """The pairs (CRLF and LF), an .ann without its .txt, a .txt without an .ann."""
    return {
        "speech.txt": CRLF_TEXT,
        "speech.ann": crlf_ann(),
        "mayor.txt": LF_TEXT,
        "mayor.ann": lf_ann(),
        "orphan.ann": "T1\tSource 0 3\tThe\n",
        "plain.txt": "A text nobody annotated.\n",
    }


def write_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files().items():
        (folder / name).write_bytes(text.encode("utf-8"))
    return folder


def zip_bytes(members: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in (members or files()).items():
            archive.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()


def events(ann: str, body: str) -> set[tuple]:
    """An .ann's attributions up to identifiers: (type, trigger, ((role, fragments, text), ...)); spans as texts of
    `body` too, so that a span that moved onto other text shows."""
    bounds, found = {}, set()
    for line in ann.split("\n"):
        fields = line.split("\t")
        if line.startswith("T"):
            kind, _, offsets = fields[1].partition(" ")
            with contextlib.suppress(ValueError):  # a malformed line: not an event's span
                fragments = tuple(tuple(map(int, f.split())) for f in offsets.split(";"))
                bounds[fields[0]] = (kind, fragments, " ".join(body[s:e] for s, e in fragments))
    for line in ann.split("\n"):
        if line.startswith("E"):
            trigger, *roles = line.split("\t")[1].split()
            kind, _, ref = trigger.partition(":")
            references = [x.split(":") for x in roles]
            if all(r in bounds for _, r in references):
                found.add((kind, bounds[ref][1:], tuple(sorted((role, *bounds[r][1:]) for role, r in references))))
    return found


def by_text(found: set[tuple]) -> set[tuple]:
    """Events as their texts alone (type, trigger text, (role, text)...): the same wherever the offsets moved."""
    return {(kind, trigger[1], tuple((role, text) for role, _, text in roles)) for kind, trigger, roles in found}
