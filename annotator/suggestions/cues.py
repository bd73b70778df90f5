"""Cues: the words that report speech, thought or stance ("said", "told", "warned", "according to", "called for").

Each verb is listed once in its base form; its inflections are made by rule (`IRREGULAR` where the rule is
wrong), and every form maps back to the base form, which the quote rules test against `SPEECH`, `STANCE`,
`THOUGHT_VERBS` and `OBJECT_VERBS`. `CUE` finds any form in a body in one pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.suggestions.lexicon import word_list, word_set

# Verbs that report speech or writing; they introduce direct quotes as well as reported clauses.
SPEECH_VERBS = word_list(
    """
    say tell add state warn ask answer reply respond explain note write tweet post insist argue claim announce
    declare remark comment observe continue recall acknowledge admit concede confirm deny stress emphasize
    emphasise suggest predict promise vow pledge urge caution complain joke quip boast charge contend maintain
    assert allege exclaim shout yell scream whisper mutter recount testify report conclude agree counter wonder
    lament retort scoff plead demand threaten reveal disclose indicate estimate mention cite accuse blame
    criticize criticise praise reiterate repeat proclaim brag speculate hint recommend propose inform assure
    remind advise concur reason muse interject chime thunder rail rant fume snap gush marvel
    """
)
# Verbs of belief and finding: they report a clause but rarely a verbatim quotation.
THOUGHT_VERBS = word_list(
    """
    believe think feel know hope fear expect worry find show learn hear understand assume doubt realize realise
    recognize recognise reckon suspect imagine consider guess anticipate calculate forecast project want plan
    agree
    """
)
# Verbs of stance whose object is what the subject holds or asks for: "called for new tariffs", "cited a poll".
# They report no words, so they give indirect quotes of lower confidence, and only with a speaker-like subject.
STANCE_VERBS = word_list(
    """
    cite attack criticize criticise praise condemn support oppose reject propose demand blast defend question
    describe discuss pledge refuse decline welcome dismiss endorse slam applaud vow express recommend want seek
    favor favour call cite mention announce reveal recommend demand deny acknowledge confirm
    promise accuse blame urge echo liken laud hail tout decide offer lament ridicule mock denounce
    """
)
# Verbs whose object comes before the reported clause: "told reporters that …".
OBJECT_VERBS = word_set(
    """
    tell ask warn remind assure inform urge advise accuse blame promise caution criticize criticise praise thank
    """
)
IRREGULAR = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "write": ("write", "writes", "wrote", "written", "writing"),
    "think": ("think", "thinks", "thought", "thinking"),
    "find": ("find", "finds", "found", "finding"),
    "know": ("know", "knows", "knew", "known", "knowing"),
    "hear": ("hear", "hears", "heard", "hearing"),
    "feel": ("feel", "feels", "felt", "feeling"),
    "understand": ("understand", "understands", "understood", "understanding"),
    "show": ("show", "shows", "showed", "shown", "showing"),
    "learn": ("learn", "learns", "learned", "learnt", "learning"),
    "admit": ("admit", "admits", "admitted", "admitting"),
    "quip": ("quip", "quips", "quipped", "quipping"),
    "plan": ("plan", "plans", "planned", "planning"),
    "forecast": ("forecast", "forecasts", "forecasted", "forecasting"),
    "thunder": ("thunder", "thunders", "thundered", "thundering"),
    "snap": ("snap", "snaps", "snapped", "snapping"),
    "rant": ("rant", "rants", "ranted", "ranting"),
    "interject": ("interject", "interjects", "interjected", "interjecting"),
}

PHRASES = {
    "according to": "according to",
    "pointed out": "point out",
    "points out": "point out",
    "point out": "point out",
    "pointing out": "point out",
    "called for": "call for",
    "calls for": "call for",
    "call for": "call for",
    "calling for": "call for",
    "called on": "call on",
    "calls on": "call on",
    "went on to say": "say",
    "made clear": "make clear",
    "makes clear": "make clear",
    "making clear": "make clear",
    "pointed to": "point to",
    "spoke of": "speak of",
    "speaks of": "speak of",
    "talked about": "talk about",
    "spoke about": "talk about",
}

# Headlines capitalise their verbs: "Clinton Hid Health Problems, Former Doctor Says".
HEADLINE_CUES = {"Says": "say", "Said": "say", "Warns": "warn", "Claims": "claim", "Tells": "tell", "Urges": "urge"}


def _forms(verb: str) -> tuple[str, ...]:
    if verb in IRREGULAR:
        return IRREGULAR[verb]
    if verb.endswith("e"):
        return verb, verb + "s", verb + "d", verb[:-1] + "ing"
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb, verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"
    if verb.endswith(("sh", "ch", "ss", "x")):
        return verb, verb + "es", verb + "ed", verb + "ing"
    return verb, verb + "s", verb + "ed", verb + "ing"


def _lexicon() -> dict[str, str]:
    forms = {}
    for verb in STANCE_VERBS + THOUGHT_VERBS + SPEECH_VERBS:  # a verb in several lists counts as the last
        for form in _forms(verb):
            forms[form] = verb
    forms.update(PHRASES)
    forms.update(HEADLINE_CUES)
    return forms


CUE_FORMS = _lexicon()
SPEECH = set(SPEECH_VERBS) | {"point out", "call for", "call on", "make clear"}
STANCE = set(STANCE_VERBS) | {"call for", "call on", "want", "plan", "agree", "suggest", "point to", "speak of"}
STANCE |= {"talk about"}


def _trie_pattern(words: list[str]) -> str:
    """One regular expression for many words, shaped as a trie: Python's re tries alternatives one by one."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [
            (r"\s+" if char == " " else re.escape(char)) + pattern(child)
            for char, child in sorted(node.items())
            if char
        ]
        if not branches:
            return ""
        alternation = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{alternation})?" if "" in node else alternation

    return pattern(trie)


CUE = re.compile(r"(?<![\w’'-])(?:" + _trie_pattern(list(CUE_FORMS)) + r"|According\s+to)(?![\w’'-])")
SPACES = re.compile(r"\s+")

# Cue words that are as often nouns ("electricity demand", "the plans"): a cue only after a speaker-like subject.
NOUN_LIKE_CUES = word_set(
    """
    demand demands plan plans report reports claim claims call calls hope hopes fear fears estimate estimates
    promise promises support supports question questions offer offers answer answers comment comments need
    needs cut cuts record records show shows want wants warning forecast forecasts charge charges post posts
    note notes reply replies state states
    """
)


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue found in a body: its span and its verb's base form."""

    start: int
    end: int
    verb: str


def cue_of(match: re.Match) -> Cue:
    """The cue that a match of `CUE` stands for ("According to" is the only form not in `CUE_FORMS`)."""
    return Cue(match.start(), match.end(), CUE_FORMS.get(SPACES.sub(" ", match.group()).lower(), "according to"))
