"""The annotation kinds, each defined once: its attributes, their types, vocabularies and defaults.

Everything that knows an attribute reads it from here: the workspace form, the API's serializers and
OpenAPI schema, the checks of `labels.py` (label config and attributes, for the services and imports),
the export columns, agreement and the project settings form. Adding an attribute is one line in its
kind's `attributes` (and a data migration when stored annotations need a value).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import models


class Type(StrEnum):
    """What an attribute's value is, and so how it is checked, shown in a form and described in OpenAPI."""

    TEXT = "text"  # a string, stripped, at most MAX_TEXT_ATTRIBUTE code points; "" when absent
    URL = "url"  # a TEXT that is empty or an http(s) URL
    BOOL = "bool"
    CHOICE = "choice"  # one label of the project's vocabulary
    SPAN = "span"  # [start, end) code points of the body, or null: a mention inside the article


@dataclass(frozen=True)
class Vocabulary:
    """A list of labels in the project's label config (`label_config[kind][key]`), with the news defaults.

    `open_switch` names a boolean setting beside it: when true (the default) the attribute takes any text
    and the labels are only offered; when false the attribute must be one of them.
    """

    key: str
    title: str
    defaults: tuple[str, ...]
    may_be_empty: bool = False
    open_switch: str | None = None
    open_switch_title: str = ""


@dataclass(frozen=True)
class Attribute:
    name: str
    type: Type
    label: str
    vocabulary: Vocabulary | None = None
    default: Any = None  # the value when the attribute is absent (None: empty text, no label, no span)
    required: bool = False  # a TEXT that may not be empty, a CHOICE that may not be null
    multiline: bool = False
    radio: bool = False  # a CHOICE shown as radio buttons rather than a list
    span_text: str = ""  # SPAN: the name the exports and imports give to the text at the span
    pick_key: str = ""  # SPAN: the workspace key that takes the selected text as this span
    fills: str = ""  # SPAN: the TEXT attribute that the picked text fills in when it is still empty
    purpose: str = "describing"  # the W3C Web Annotation purpose of its body in the w3c export
    help: str = ""
    names_person: bool = False  # TEXT: the field completes from the names already used in the project (people.py)

    @property
    def nullable(self) -> bool:
        return self.type in (Type.CHOICE, Type.SPAN) and not self.required


@dataclass(frozen=True)
class KindDefinition:
    name: str
    label: str
    attributes: tuple[Attribute, ...]
    needs_span: bool = True  # False: the annotation may be about the whole article (no start, end, text)
    # The labels whose agreement (alpha) is reported on matched spans, at most two (a TEXT is compared
    # case-insensitively); a kind that needs no span says which attribute makes two whole-article ones the same.
    compared: tuple[str, ...] = ()
    matched_by: str = ""
    attribute: dict[str, Attribute] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "attribute", {a.name: a for a in self.attributes})

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.attributes)

    def of_type(self, *types: Type) -> tuple[Attribute, ...]:
        return tuple(a for a in self.attributes if a.type in types)

    @property
    def vocabularies(self) -> tuple[tuple[Vocabulary, Attribute], ...]:
        return tuple((a.vocabulary, a) for a in self.attributes if a.vocabulary is not None)


# The label-config vocabularies and their news defaults.
QUOTE_TYPES = Vocabulary("quote_types", "Quote types", ("direct", "indirect", "mixed"))
CATEGORIES = Vocabulary(
    "categories", "Claim categories", ("statistic", "event", "fact", "prediction", "causal", "other")
)
VERDICTS = Vocabulary("verdicts", "Claim verdicts", ("true", "mostly_true", "misleading", "false", "unverifiable"))
POLARITIES = Vocabulary("polarities", "Stance polarities", ("favor", "against", "neutral"))
TARGETS = Vocabulary(
    "targets", "Stance targets", (), may_be_empty=True, open_switch="free_targets",
    open_switch_title="Annotators may type any stance target",
)  # fmt: skip

QUOTE = KindDefinition(
    name="quote",
    label="Quote",
    attributes=(
        Attribute("speaker", Type.TEXT, "Speaker (canonical name)", purpose="identifying", names_person=True),
        Attribute("speaker_span", Type.SPAN, "Speaker mention", span_text="speaker_text", pick_key="p",
                  fills="speaker", purpose="identifying"),
        Attribute("cue_span", Type.SPAN, "Cue", span_text="cue_text", pick_key="v", purpose="describing"),
        Attribute("quote_type", Type.CHOICE, "Quote type", QUOTE_TYPES, default="direct", required=True,
                  purpose="classifying"),
    ),
    compared=("quote_type", "speaker"),
)  # fmt: skip
CLAIM = KindDefinition(
    name="claim",
    label="Claim",
    attributes=(
        Attribute("checkworthy", Type.BOOL, "Check-worthy", default=True, purpose="assessing"),
        Attribute("category", Type.CHOICE, "Category", CATEGORIES, purpose="classifying"),
        Attribute("verdict", Type.CHOICE, "Verdict", VERDICTS, purpose="assessing"),
        Attribute("verdict_note", Type.TEXT, "Verdict note", multiline=True, purpose="describing"),
        Attribute("evidence_url", Type.URL, "Evidence URL", purpose="linking"),
    ),
    compared=("category", "checkworthy"),
)  # fmt: skip
STANCE = KindDefinition(
    name="stance",
    label="Stance",
    attributes=(
        Attribute("holder", Type.TEXT, "Holder (who takes the stance)", purpose="identifying", names_person=True),
        Attribute("target", Type.TEXT, "Target (what it is about)", TARGETS, required=True, purpose="tagging",
                  names_person=True),
        Attribute("polarity", Type.CHOICE, "Polarity", POLARITIES, required=True, radio=True, purpose="assessing"),
    ),
    needs_span=False,
    compared=("polarity",),
    matched_by="target",
)  # fmt: skip

KINDS: dict[str, KindDefinition] = {k.name: k for k in (QUOTE, CLAIM, STANCE)}

Kind = models.TextChoices("Kind", [(k.name.upper(), (k.name, k.label)) for k in KINDS.values()])


def kind_definition(kind: str) -> KindDefinition:
    return KINDS[kind]


def attribute_names(kind: str) -> tuple[str, ...]:
    """The attributes of a kind, in the order every format writes them."""
    return KINDS[kind].names


def span_attributes() -> tuple[Attribute, ...]:
    """Every attribute that is a span of its own (a quote's speaker and cue), across the kinds."""
    return tuple(a for k in KINDS.values() for a in k.of_type(Type.SPAN))


def choice_attributes() -> dict[tuple[str, str], str]:
    """(kind, label-config key): the attribute whose value must be one of that vocabulary's labels."""
    return {(k.name, v.key): a.name for k in KINDS.values() for v, a in k.vocabularies if a.type == Type.CHOICE}
