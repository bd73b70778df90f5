"""brat round trip on a corpus: import its `.txt` + `.ann` files, export brat, compare spans and events.

Made for PolNeAR's layout (`text/<article>.txt` and `attributions/<article>_<annotator>.ann`, several annotators
for some articles): the pairs are laid out in a temporary folder per annotator (copies outside the repository,
deleted at the end), each annotator's folder imported into a project of its own by a member of that name with
`load_articles FOLDER --annotations brat --as ANNOTATOR`, then exported with `export_dataset --format brat
--status submitted` (brat imports are submitted quotes). The comparison parses both sides itself (not with the
app's reader), per article:

* an event is its type, its trigger's fragments and its roles' fragments; it survives unchanged when the export
  holds the same event (multiset, identifiers ignored), each offset moved by what NFC normalisation of the body
  did before it (offsets count the stored body: §3); events whose offsets had to be moved are counted apart;
* a text-bound Source, Cue or Content span survives when the export has the same type and fragments.

Each event that does not survive is put in a class that says why. Runs in a scratch database (--database) on the
server the settings resolve, dropped at the end:

    .venv/bin/python bench/brat_roundtrip.py ../shared/corpora/polnear/data/dev
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import sys
import tempfile
import unicodedata
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import harness

SPANS = ("Source", "Cue", "Content")
TRIGGERS = ("Attribution", "Attribution-no-source")


def parse_ann(text: str) -> tuple[dict[str, tuple[str, tuple]], list[tuple[str, str, list[tuple[str, str]]]]]:
    """Text-bound lines {id: (type, fragments)} and events [(id, type, trigger id, [(role, id)])], as written."""
    bounds, events = {}, []
    for line in text.split("\n"):
        fields = line.rstrip("\r").split("\t")
        if line.startswith("T") and len(fields) >= 2:
            kind, _, offsets = fields[1].partition(" ")
            bounds[fields[0]] = (kind, tuple(tuple(map(int, f.split())) for f in offsets.split(";")))
        elif line.startswith("E") and len(fields) >= 2:
            trigger, *roles = fields[1].split()
            kind, _, trigger_id = trigger.partition(":")
            events.append((fields[0], kind, trigger_id, [tuple(r.split(":")) for r in roles]))
    return bounds, events


def canonical(bounds, events, moved=lambda o: o, *, in_order: bool = True) -> Counter:
    """Events up to identifiers: (type, trigger fragments, sorted (role, fragments)), offsets through `moved`;
    the fragments of a span in the order they are written, or (`in_order` false) in text order."""

    def at(identifier: str) -> tuple:
        if identifier not in bounds:
            return ()
        fragments = tuple((moved(s), moved(e)) for s, e in bounds[identifier][1])
        return fragments if in_order else tuple(sorted(fragments))

    return Counter(
        (kind, at(trigger), tuple(sorted((role, at(ref)) for role, ref in roles))) for _, kind, trigger, roles in events
    )


def span_set(bounds, moved=lambda o: o) -> Counter:
    return Counter(
        (kind, tuple(sorted((moved(s), moved(e)) for s, e in fragments)))
        for kind, fragments in bounds.values()
        if kind in SPANS
    )


def why_not(event, bounds) -> str:
    """Why an event of the corpus cannot come back as it was, from what it is."""
    _, kind, trigger, roles = event
    names = [role for role, _ in roles]
    if "Content" not in names:
        return "no Content role: a quote is its content"
    if any(re.fullmatch(r"Content\d+", role) for role in names):
        return "several Content roles: one quote, exported as one Content in parts"
    if kind == "Attribution-no-source" and "Source" in names:
        return "Attribution-no-source with a Source: exported as Attribution"
    cue = [bounds[ref][1] for role, ref in roles if role == "Cue"]
    if bounds[trigger][1] != (cue[0] if cue else None):
        return "trigger not on the cue: the export puts it on the cue"
    return "other"


def span_lost(identifier: str, events) -> str:
    """Why a Source, Cue or Content span of the corpus is not in the export."""
    roles = [role for _, _, _, event_roles in events for role, ref in event_roles if ref == identifier]
    if not roles:
        return "in no event (a quote is an attribution's content)"
    if any(re.fullmatch(r"Content\d+", role) for role in roles):
        return "a second Content of its event, exported within the event's one Content"
    return "its event did not survive"


def lay_out(corpus: Path, folder: Path) -> dict[str, list[str]]:
    """One folder of `<article>.txt` + `<article>.ann` per annotator; {annotator: [article, ...]}."""
    by_annotator = defaultdict(list)
    for ann in sorted((corpus / "attributions").glob("*.ann")):
        article, _, annotator = ann.stem.rpartition("_")
        target = folder / annotator
        target.mkdir(exist_ok=True)
        shutil.copyfile(corpus / "text" / f"{article}.txt", target / f"{article}.txt")
        shutil.copyfile(ann, target / f"{article}.ann")
        by_annotator[annotator].append(article)
    return by_annotator


def round_trip(folder: Path, annotator: str) -> dict[str, str]:
    """Import the annotator's folder into a project of their own, export it: {article file stem: exported .ann}."""
    from django.core.management import CommandError, call_command

    from annotator.articles.models import Article
    from annotator.articles.services import create_project
    from annotator.exports.services import export_dataset

    project = create_project(actor=None, name=f"PolNeAR {annotator}", slug=f"polnear-{annotator}")
    harness.member(project, annotator, "annotator")
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("load_articles", str(folder), project=project.slug, annotations="brat", annotator=annotator,
                     stdout=out, stderr=err)  # fmt: skip
    except CommandError as exc:
        err.write(f"{exc}\n")
    print(f"  {annotator}: {out.getvalue().strip()}")
    for line in err.getvalue().splitlines():
        if line.startswith(("rejected", "brat:", "CommandError", "passed over")) or "rejected" in line:
            print(f"    {line}")
    export = export_dataset(project=project, format="brat", status="submitted", actor=None)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(export.chunks)))
    files = dict(Article.objects.filter(project=project).values_list("pk", "metadata__file"))
    return {
        Path(files[int(Path(name).stem)]).stem: archive.read(name).decode("utf-8")
        for name in archive.namelist()
        if name.endswith(".ann")
    }


def compare(corpus: Path, by_annotator: dict[str, list[str]], exported: dict[str, dict[str, str]]) -> int:
    totals: Counter = Counter()
    reasons: Counter = Counter()
    span_reasons: Counter = Counter()
    examples: dict[str, str] = {}
    for annotator, articles in sorted(by_annotator.items()):
        for article in articles:
            raw = (corpus / "text" / f"{article}.txt").read_text(encoding="utf-8")
            moved = (
                (lambda o, raw=raw: len(unicodedata.normalize("NFC", raw[:o])))
                if not unicodedata.is_normalized("NFC", raw)
                else (lambda o: o)
            )
            source = (corpus / "attributions" / f"{article}_{annotator}.ann").read_text(encoding="utf-8")
            bounds, events = parse_ann(source)
            back_bounds, back_events = parse_ann(exported[annotator].get(article, ""))
            wanted, found = canonical(bounds, events, moved), canonical(back_bounds, back_events)
            as_written = canonical(bounds, events)
            totals["events"] += len(events)
            totals["events survived"] += sum((wanted & found).values())
            totals["events with moved offsets"] += sum(((wanted & found) - as_written).values())
            wanted = canonical(bounds, events, moved, in_order=False)
            totals["events survived in text order"] += sum((wanted & found).values())
            spans, back_spans = span_set(bounds, moved), span_set(back_bounds)
            totals["spans"] += sum(spans.values())
            totals["spans survived"] += sum((spans & back_spans).values())
            lost = spans - back_spans
            for identifier, (kind, fragments) in bounds.items():
                key = span_set({identifier: (kind, fragments)}, moved)
                if key & lost:
                    lost -= key
                    span_reasons[f"{kind} {span_lost(identifier, events)}"] += 1
            missing = wanted - found
            for event in events:
                key = canonical(bounds, [event], moved, in_order=False)
                if key & missing:
                    missing -= key
                    reason = why_not(event, bounds)
                    reasons[reason] += 1
                    examples.setdefault(reason, f"{article}_{annotator}.ann {event[0]}")
    print(
        f"events: {totals['events survived']:,} of {totals['events']:,} survive unchanged "
        f"({totals['events with moved offsets']} of them with offsets moved by NFC); "
        f"{totals['events survived in text order']:,} when a span's fragments are compared in text order"
    )
    print(
        f"Source/Cue/Content spans: {totals['spans survived']:,} of {totals['spans']:,} survive unchanged "
        "(fragments in text order)"
    )
    for reason, count in span_reasons.most_common():
        print(f"  {count} spans not: {reason}")
    for reason, count in reasons.most_common():
        print(f"  {count} not: {reason} (e.g. {examples[reason]})")
    return 1 if reasons.get("other") else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="A folder with text/*.txt and attributions/*.ann (PolNeAR's dev).")
    parser.add_argument("--database", default="annot_bench_brat", help="Scratch database name (dropped at the end).")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    with tempfile.TemporaryDirectory() as scratch, harness.scratch_database(args.database):
        by_annotator = lay_out(corpus, Path(scratch))
        print(f"{sum(map(len, by_annotator.values()))} .ann files by {len(by_annotator)} annotators")
        exported = {annotator: round_trip(Path(scratch) / annotator, annotator) for annotator in sorted(by_annotator)}
        return compare(corpus, by_annotator, exported)


if __name__ == "__main__":
    sys.exit(main())
