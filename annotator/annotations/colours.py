"""Label colours: a project's admins may give a label of any vocabulary a background colour for the highlights.

They live in the label config beside the labels, `label_config[kind]["colours"][vocabulary key][label] = "#rrggbb"`.
The text of the article stays dark on every highlight: a colour under which it would read below WCAG AA (4.5:1) is
refused, with the nearest lighter colour that passes offered instead.

The page's CSP allows no inline style, so the colours reach the browser as a small stylesheet per project
(`Palette.css`, served by `articles.views.label_colours` under an ETag): each coloured label is a class
`label-N`, and each highlight carries the class of the first of its kind's vocabularies (in the order of
`kinds.py`) whose value has a colour.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from annotator.annotations.kinds import KINDS

COLOURS = "colours"
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
TEXT_COLOUR = "#1d2433"  # the text the highlights are drawn under: --ink of static/css/app.css
MIN_CONTRAST = 4.5  # WCAG 2 AA for normal text


def _channels(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of a #rrggbb colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG 2's contrast ratio of two #rrggbb colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_variant(colour: str) -> str:
    """The colour mixed with white, as little as needed for the text to keep MIN_CONTRAST on it."""
    channels = _channels(colour)
    for step in range(101):
        mixed = "#" + "".join(f"{round(c + (255 - c) * step / 100):02x}" for c in channels)
        if contrast(mixed, TEXT_COLOUR) >= MIN_CONTRAST:
            return mixed
    return "#ffffff"


def colour_refusal(colour: Any) -> str | None:
    """Why a value cannot colour a highlight, or None."""
    if not isinstance(colour, str) or not HEX_COLOUR.fullmatch(colour):
        return f"{colour!r} is not a colour written #rrggbb"
    ratio = contrast(colour.lower(), TEXT_COLOUR)
    if ratio < MIN_CONTRAST:
        return (
            f"{colour.lower()} leaves the text ({TEXT_COLOUR}) a contrast of {ratio:.1f}:1, below the "
            f"{MIN_CONTRAST}:1 of WCAG AA; {readable_variant(colour.lower())} is the nearest lighter colour that passes"
        )
    return None


def clean_colours(kind: str, value: Any, labels: dict[str, list[str]], errors: dict[str, str]) -> dict:
    """A kind's colours: {vocabulary key: {label: "#rrggbb"}} for labels of its vocabularies; empty maps dropped."""
    path = f"label_config.{kind}.{COLOURS}"
    if not isinstance(value, dict):
        errors[path] = "must be a JSON object: {vocabulary: {label: colour}}"
        return {}
    cleaned: dict[str, dict[str, str]] = {}
    for key, colours in value.items():
        if key not in labels:
            errors[f"{path}.{key}"] = f"is not a vocabulary of a {kind}; those are {', '.join(labels)}"
            continue
        if not isinstance(colours, dict):
            errors[f"{path}.{key}"] = "must be a JSON object: {label: colour}"
            continue
        problems = []
        for label, colour in colours.items():
            if label not in labels[key]:
                problems.append(f"{label!r} is not one of the {key}")
            elif refusal := colour_refusal(colour):
                problems.append(f"{label}: {refusal}")
        if problems:
            errors[f"{path}.{key}"] = "; ".join(problems)
        elif colours:
            cleaned[key] = {label: colour.lower() for label, colour in colours.items()}
    return cleaned


@dataclass(frozen=True)
class Palette:
    """The coloured labels of a project: their classes, and the stylesheet that colours them."""

    colours: tuple[tuple[str, str, str, str], ...]  # (kind, attribute, label, colour), in the label config's order
    classes: dict[tuple[str, str, str], str] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        classes = {(kind, name, label): f"label-{n}" for n, (kind, name, label, _) in enumerate(self.colours)}
        object.__setattr__(self, "classes", classes)

    def __bool__(self) -> bool:
        return bool(self.colours)

    def class_of(self, kind: str, attributes: dict) -> str:
        """The class of an annotation's highlight: the colour of its first coloured label, or none."""
        if not self.colours or kind not in KINDS:
            return ""
        for _, attribute in KINDS[kind].vocabularies:
            name = self.classes.get((kind, attribute.name, attributes.get(attribute.name)))
            if name:
                return name
        return ""

    @property
    def css(self) -> str:
        rules = [
            f"mark.ann.label-{n}:not(.suggested), .swatch.label-{n} {{ background: {colour}; }}"
            for n, (_, _, _, colour) in enumerate(self.colours)
        ]
        return "/* The label colours of one project (its label config). */\n" + "\n".join(rules) + "\n"

    @property
    def version(self) -> str:
        return hashlib.sha256(self.css.encode()).hexdigest()[:16]

    def swatches(self) -> list[tuple[str, str, str]]:
        """(label, colour, class) of every coloured label, for the settings page to show."""
        return [(label, colour, self.classes[kind, name, label]) for kind, name, label, colour in self.colours]


def palette_of(label_config: dict) -> Palette:
    """The palette of a stored label config (one without colours has an empty palette)."""
    colours = []
    for kind in KINDS.values():
        section = label_config.get(kind.name, {}) if isinstance(label_config, dict) else {}
        given = section.get(COLOURS, {}) if isinstance(section, dict) else {}
        for vocabulary, attribute in kind.vocabularies:
            coloured = given.get(vocabulary.key) or {}
            for label in section.get(vocabulary.key, []):
                # Checked when saved; checked again because what reaches a stylesheet must be a colour.
                if isinstance(coloured.get(label), str) and HEX_COLOUR.fullmatch(coloured[label]):
                    colours.append((kind.name, attribute.name, label, coloured[label]))
    return Palette(tuple(colours))
