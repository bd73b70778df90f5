"""Noun phrases around a cue: the speaker before "said" or after "said" and "according to".

A noun phrase here is a pronoun, a name with its titles and role words ("Health Minister Radu Ionescu",
"union general secretary Bernadette Kelly"), a description up to its head noun ("a spokesman for the
ministry"), or a bare plural or collective noun ("officials", "police"). They are read from tokens
(`tokens.tokenize`), and a `Mention` keeps the span as written in the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.suggestions.lexicon import (
    COLLECTIVE_NOUNS,
    COMMON_OPENERS,
    DETERMINERS,
    NAME_PARTICLES,
    NP_STOP_WORDS,
    ORGANISATION_HEADS,
    ORGANISATION_WORDS,
    PRONOUNS,
    ROLE_NOUNS,
    ROLE_OR_TITLE,
    STOP_BEFORE_CUE,
)
from annotator.suggestions.tokens import is_capitalised, norm

LOWER_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
AGE = re.compile(r"\d+-year-old")
# Tokens that end a description: "the minister, …", "a spokesman (…)".
NP_STOPS = frozenset({",", ".", ";", ":", "—", "–", "(", ")", "“", "”", '"', "?", "!"})


@dataclass(frozen=True, slots=True)
class Mention:
    """A noun phrase as written in the body at [start, end)."""

    start: int
    end: int
    text: str


def noun_phrase_before(body: str, tokens: list[tuple[int, int, str]], index: int) -> Mention | None:
    """The noun phrase that ends with token `index`: a pronoun, a name with its titles, or a description."""
    if index < 0:
        return None
    start, end, word = tokens[index]
    lowered = norm(word)
    if is_pronoun(word):
        if lowered in {"it", "who"}:
            return None
        return Mention(start, end, word)
    if not word[:1].isalpha() or lowered in STOP_BEFORE_CUE or lowered in DETERMINERS:
        return None
    first = index
    if is_capitalised(word):
        while first > 0:
            previous = tokens[first - 1][2]
            lowered_previous = norm(previous)
            if body[tokens[first - 1][1] : tokens[first][0]] not in (" ", "\u00a0"):
                break
            joins = previous in NAME_PARTICLES | {"and", "for"} and first >= 2 and is_capitalised(tokens[first - 2][2])
            if (
                (is_capitalised(previous) and previous[0].isalpha())
                or joins
                or lowered_previous in ROLE_OR_TITLE
                or AGE.fullmatch(previous)
            ):
                first -= 1
            elif lowered_previous in DETERMINERS:
                first -= 1
                break
            else:
                break
        # Lowercase words of a role in front of a name, after a comma, a quote or an article:
        # "union general secretary Bernadette Kelly", ", retired firefighter Colin Hayes".
        back = first - 1
        while back >= 0 and first - back <= 3 and is_modifier(tokens[back][2]):
            back -= 1
        if back < first - 1 and (back < 0 or tokens[back][2] in {",", "“", "”", '"', "—", "–", ":"}):
            first = back + 1
        elif back < first - 1 and norm(tokens[back][2]) in DETERMINERS:
            first = back
        # Ordinary words that happen to open the sentence are not part of the name ("But Smith said").
        while first < index and norm(tokens[first][2]) in {"but", "and", "so", "yet", "then", "still", "now"}:
            first += 1
        if tokens[first][2] in {"“", '"', "„"}:
            first += 1
        # "and"/"for" join the words of an organisation's name only ("Fire and Disaster Management Agency").
        names = [norm(t[2]) for t in tokens[first : index + 1]]
        if not ORGANISATION_WORDS & set(names):
            for position in range(index, first, -1):
                if tokens[position][2] in {"and", "for"}:
                    first = position + 1
                    break
    else:
        # A description ends at a determiner: "the Russian president", "a spokesman for the ministry".
        back = index
        found = None
        while back >= 0 and index - back < 7:
            token = tokens[back][2]
            lowered_token = norm(token)
            if lowered_token in DETERMINERS:
                found = back
                break
            possessive = token in {"’", "'"} and back > 0 and tokens[back - 1][2].endswith("s")
            if (not token[:1].isalnum() and not possessive) or (lowered_token in STOP_BEFORE_CUE and back != index):
                break
            back -= 1
        if found is not None:
            first = found
            # "members of the alliance", "a spokesman for the ministry" (the head is before the preposition)
            if first >= 2 and tokens[first - 1][2] in {"of", "for", "at", "from", "with"}:
                head = noun_phrase_before(body, tokens, first - 2)
                if head is not None and head.text.lower() not in PRONOUNS:
                    return Mention(head.start, end, body[head.start : end])
        else:
            # A bare plural or a name-like modifier: "officials", "U.S. officials", "Administration officials".
            if (
                lowered not in ROLE_NOUNS
                and lowered not in COLLECTIVE_NOUNS
                and lowered not in ORGANISATION_HEADS
                and not lowered.endswith("s")
            ):
                return None
            while (
                first > 0
                and is_capitalised(tokens[first - 1][2])
                and tokens[first - 1][2][0].isalpha()
                and norm(tokens[first - 1][2]) not in COMMON_OPENERS
            ):
                first -= 1
            # "labor-policy experts", "independent analysts" after a comma or at the start.
            back = first - 1
            while back >= 0 and first - back <= 2 and is_modifier(tokens[back][2]):
                back -= 1
            if back < first - 1 and (back < 0 or tokens[back][2] in {",", "“", "”", '"', "—", "–", ":"}):
                first = back + 1
    start = tokens[first][0]
    return Mention(start, end, body[start:end])


def noun_phrase_after(body: str, tokens: list[tuple[int, int, str]], index: int) -> Mention | None:
    """The noun phrase that starts at token `index` (after an inverted cue or "according to")."""
    if index >= len(tokens):
        return None
    start, _, word = tokens[index]
    lowered = norm(word)
    if is_pronoun(word) and lowered not in {"it", "who"}:
        return Mention(start, tokens[index][1], word)
    if not word[:1].isalpha():
        return None
    last = index
    if is_capitalised(word) and lowered not in DETERMINERS:
        # A name with its titles: "Rep. G.K. Butterfield", "Secretary of State John Kerry", and with role words
        # before the name: "Green lawmaker Jonas Weber".
        while last + 1 < len(tokens) and last - index < 9:
            if _joins_name(body, tokens, last):
                last += 1
                continue
            role = last + 1
            while role < len(tokens) and role - last <= 2 and is_modifier(tokens[role][2]):
                role += 1
            if (
                role > last + 1
                and role < len(tokens)
                and norm(tokens[role - 1][2]) in ROLE_OR_TITLE
                and is_capitalised(tokens[role][2])
            ):
                last = role
                continue
            break
        last = _without_loose_connector(tokens, index, last)
    elif lowered in {"that", "this", "these", "those"}:
        return None
    elif lowered in DETERMINERS or lowered in ROLE_NOUNS:
        # A description: up to its head noun, before any verb, relative pronoun or clause boundary.
        while last + 1 < len(tokens) and last - index < 7:
            if is_capitalised(tokens[last][2]) and _joins_name(body, tokens, last):
                last += 1  # "the Fire and Disaster Management Agency"
                continue
            nxt = tokens[last + 1][2]
            if nxt in NP_STOPS or (nxt.islower() and (nxt in NP_STOP_WORDS or _looks_like_verb(nxt))):
                break
            last += 1
        while last > index and norm(tokens[last][2]) in {"of", "for", "at", "the", "a", "an"}:
            last -= 1
    elif not (word.islower() and (lowered.endswith("s") or lowered in COLLECTIVE_NOUNS)):
        return None  # a bare plural or collective is a speaker: "said officials", "according to police"
    end = tokens[last][1]
    return Mention(start, end, body[start:end])


def _joins_name(body: str, tokens: list[tuple[int, int, str]], last: int) -> bool:
    nxt = tokens[last + 1][2]
    if body[tokens[last][1] : tokens[last + 1][0]] not in (" ", "\u00a0"):
        return False
    if is_capitalised(nxt) and nxt[0].isalpha():
        return True
    return nxt in NAME_PARTICLES | {"and", "for"} and last + 2 < len(tokens) and is_capitalised(tokens[last + 2][2])


def _without_loose_connector(tokens: list[tuple[int, int, str]], first: int, last: int) -> int:
    """A name joined by "and"/"for" is one only if it names an organisation: else it stops before them."""
    words = [norm(t[2]) for t in tokens[first : last + 1]]
    if ORGANISATION_WORDS & set(words):
        return last
    for index in range(first, last + 1):
        if tokens[index][2] in {"and", "for"}:
            return index - 1
    return last


def _looks_like_verb(word: str) -> bool:
    """A lowercase word that ends a description when it follows the head: "the tax cuts favoured …"."""
    return word.endswith("ed") and len(word) > 4 and word not in {"armed", "united", "retired", "elected"}


def is_pronoun(word: str) -> bool:
    """A personal pronoun, not an acronym that spells one ("WHO", "US")."""
    return word.lower() in PRONOUNS and (not word.isupper() or word == "I")


def is_agent(text: str) -> bool:
    """A noun phrase that can hold a view: a pronoun, a name, or a person, group or organisation noun."""
    words = text.split()
    last = norm(words[-1])
    return (
        last in PRONOUNS
        or is_capitalised(words[-1])
        or last in ROLE_NOUNS
        or last in ORGANISATION_HEADS
        or last in COLLECTIVE_NOUNS
        or (last.endswith("s") and norm(last[:-1]) in ROLE_NOUNS | ORGANISATION_HEADS)
        or last in {"officials", "experts", "critics", "voters", "people", "residents", "analysts", "groups"}
    )


def is_modifier(word: str) -> bool:
    """A lowercase word that may describe a role: "retired", "firefighter", "general", "78-year-old"."""
    return (bool(LOWER_WORD.fullmatch(word)) and norm(word) not in STOP_BEFORE_CUE | DETERMINERS) or bool(
        AGE.fullmatch(word)
    )
