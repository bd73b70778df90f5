"""Who speaks: the person or organisation a speaker's mention refers to, and the speakers met so far.

The people and organisations come from `names.NamedEntities`. A mention resolves to:
- a name: the person whose full name contains it ("Mr. Putin", "Putin" → "Vladimir Putin"), or the
  organisation it names or abbreviates ("WHO" → "World Health Organization"), without "the";
- a description holding a name ("a spokesman for Noto Coast Power", "the WHO report") → that name;
- a definite description ("the Russian leader", "the minister"): the most recent person whose roles share its
  head noun, or, for a generic head ("leader", "official"), one of its other words; "the union" → the most
  recent organisation with that word in its name;
- a pronoun: the most recent speaker or sentence subject of a compatible gender.
What cannot be resolved is returned as written ("a source", "officials").
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

from annotator.suggestions.lexicon import (
    CONNECTORS,
    DETERMINERS,
    GENERIC_HEADS,
    NATIONALITIES,
    OFFICE_HEADS,
    ORGANISATION_HEADS,
    ORGANISATION_WORDS,
    PRONOUNS,
    ROLE_NOUNS,
    ROLE_OR_TITLE,
)
from annotator.suggestions.names import PRONOUN_AFTER, Entity, NamedEntities, first_name_gender, strip_possessive
from annotator.suggestions.phrases import Mention
from annotator.suggestions.tokens import TOKEN, is_capitalised, norm


@dataclass(frozen=True, slots=True)
class Resolution:
    """The speaker a mention refers to."""

    speaker: str  # the canonical name, or the mention as written when it resolves to no one
    named: bool  # resolved to a named person or organisation
    entity: Entity | None = None


# A description or pronoun refers back a few paragraphs, not across a whole long article.
RECENT_LIMIT = 60


class Cast(NamedEntities):
    """The people and organisations named in one article, and the speakers of the quotes met so far."""

    def __init__(self, body: str, tokens: list[tuple[int, int, str]] | None = None) -> None:
        self._speakers: list[tuple[int, Entity | None, str]] = []  # (position, entity, canonical) of quotes
        super().__init__(body, tokens)

    def resolve(self, mention: Mention) -> Resolution:
        """The canonical name of the speaker a mention refers to."""
        words = [m.group() for m in TOKEN.finditer(mention.text)]
        if not words:
            return Resolution(mention.text, False)
        lowered = [norm(w) for w in words]
        if len(words) == 1 and lowered[0] in PRONOUNS:
            return self._pronoun(lowered[0], mention.start) or Resolution(mention.text, False)
        if lowered[0] in DETERMINERS:
            words = words[1:]
        # "Dr. Maria Schulz of the DIW institute": the person, not the institute.
        for index, word in enumerate(words):
            if word in {"of", "at", "from", "with", "for"}:
                if index and is_capitalised(words[index - 1]) and norm(words[index - 1]) not in ORGANISATION_WORDS:
                    words = words[:index]
                break
        # A description that holds a name: "a spokesman for Noto Coast Power", "the WHO report".
        name = _name_inside(words)
        if name is not None:
            return self._by_name(name, mention.start)
        if len(words) == 1 and lowered[0] in DETERMINERS and self._is_demonym(words[0]):
            # "the Pole", "the Brazilian": a person known by nationality, the most recent one named.
            person = next((e for e in self._recent(mention.start) if e.is_person), None)
            if person is not None:
                return Resolution(person.name, True, person)
        if words and is_capitalised(words[-1]):
            return self._by_name(words, mention.start)
        entity = self._description([norm(w) for w in mention.text.split()], mention.start)
        if entity is not None:
            return Resolution(entity.name, True, entity)
        text = strip_possessive(mention.text)
        if lowered[0] in DETERMINERS and text[:1].isupper():
            text = text[0].lower() + text[1:]  # "The minister" and "the minister" are one speaker
        return Resolution(text, False)

    def knows(self, word: str) -> bool:
        """Whether a word is part of the name of someone or some organisation named in the article."""
        lowered = norm(word)
        return lowered in self._by_word or word in self._acronyms

    def _is_demonym(self, word: str) -> bool:
        """A capitalised word that names no one in the article and is no acronym: "Pole", "Brazilian"."""
        return (
            is_capitalised(word)
            and not word.isupper()
            and word not in self._acronyms
            and norm(word) not in self._by_word
        )

    def speaker_said(self, position: int, resolution: Resolution) -> None:
        """Remember the speaker of a quote at `position`, for pronouns and unattributed quotes after it."""
        entry = (position, resolution.entity, resolution.speaker)
        bisect.insort(self._speakers, entry, key=lambda item: item[0])

    def last_speaker(self, position: int) -> tuple[int, Resolution] | None:
        """Where and who was the last quote's speaker before `position`."""
        at = bisect.bisect_left(self._speakers, position, key=lambda item: item[0])
        if at == 0:
            return None
        where, entity, canonical = self._speakers[at - 1]
        return where, Resolution(canonical, entity is not None, entity)

    def subject_before(self, position: int, low: int) -> Resolution | None:
        """The person named first in their sentence, most recently between `low` and `position`."""
        at = bisect.bisect_left(self._positions, position)
        while at > 0 and self._positions[at - 1] >= low:
            at -= 1
            entity, opens_sentence = self._mentioned[at]
            if opens_sentence and entity.is_person:
                return Resolution(entity.name, True, entity)
        return None

    def _by_name(self, words: list[str], position: int) -> Resolution:
        """A person or organisation by (part of) its name, titles set aside; acronyms expanded."""
        words = [w for w in words if w not in {"(", ")", ","}]
        while words and norm(words[0]) in DETERMINERS:
            words = words[1:]
        if not words:
            return Resolution("", False)
        lowered = [norm(w) for w in words]
        if len(words) == 1 and words[0].isupper() and words[0] in self._acronyms:
            entity = self._acronyms[words[0]]
            return Resolution(entity.name, True, entity)
        if any(w in ORGANISATION_WORDS for w in lowered):
            name = strip_possessive(" ".join(words))
            entity = self._organisations.get(name)
            return Resolution(name, True, entity)
        cut = max((i for i, w in enumerate(lowered[:-1]) if w in ROLE_OR_TITLE or w in NATIONALITIES), default=-1)
        # Only the capitalised run at the end is the name: "Harbour City manager Ewa Nowak" → "Ewa Nowak".
        for i in range(len(words) - 1, cut, -1):
            if not (is_capitalised(words[i]) or words[i] in CONNECTORS):
                cut = i
                break
        words, lowered = words[cut + 1 :], lowered[cut + 1 :]
        if not words:
            return Resolution("", False)
        candidates = [e for e in self._by_last.get(lowered[-1], []) if set(lowered) <= e.words]
        if not candidates:
            candidates = [e for e in self._by_word.get(lowered[-1], []) if e.is_person and set(lowered) <= e.words]
        if candidates:
            # The one mentioned most recently, else the first met.
            entity = next((e for e in self._recent(position + 1) if e in candidates), candidates[0])
            return Resolution(entity.name, True, entity)
        # A speaker named by one word only ("Dumont told reporters"): a person from now on; an acronym ("AFP")
        # is an organisation.
        name = strip_possessive(" ".join(words))
        if name.isupper():
            entity = self._register_organisation(words, None)
            self._note_mention(position, entity, False)
            return Resolution(name, True, entity)
        entity = Entity(name=name, words=set(lowered), last=lowered[-1], is_person=True)
        if len(lowered) > 1:
            entity.gender = first_name_gender(lowered[0])
        if entity.gender is None:
            match = PRONOUN_AFTER.search(self.body, position, position + 300)
            entity.gender = None if match is None else ("m" if match.group().lower() in {"he", "his", "him"} else "f")
        self._add_entity(entity)
        self._note_mention(position, entity, False)
        return Resolution(name, True, entity)

    def _recent(self, position: int, limit: int = RECENT_LIMIT) -> Iterator[Entity]:
        """People and organisations mentioned before `position`, most recent first, each once, the `limit` most
        recent only (a description or pronoun refers back a few paragraphs, not across a whole long article)."""
        seen: set[int] = set()
        at = bisect.bisect_left(self._positions, position)
        for index in range(at - 1, -1, -1):
            entity = self._mentioned[index][0]
            if id(entity) not in seen:
                seen.add(id(entity))
                yield entity
                if len(seen) >= limit:
                    return

    def _pronoun(self, pronoun: str, position: int) -> Resolution | None:
        gender = PRONOUNS[pronoun]
        if gender == "n":
            return None
        if gender == "p" or gender is None:
            last = self.last_speaker(position)
            return last[1] if last else None
        # The most recent speaker or sentence subject of that gender.
        best: tuple[int, Entity] | None = None
        before = bisect.bisect_left(self._speakers, position, key=lambda item: item[0])
        for where, entity, _ in reversed(self._speakers[max(0, before - RECENT_LIMIT) : before]):
            if entity is not None and entity.is_person and entity.gender in (None, gender):
                best = (where, entity)
                break
        at = bisect.bisect_left(self._positions, position)
        for index in range(at - 1, max(-1, at - 1 - 4 * RECENT_LIMIT), -1):
            entity, opens_sentence = self._mentioned[index]
            if best is not None and self._positions[index] <= best[0]:
                break
            if opens_sentence and entity.is_person and entity.gender in (None, gender):
                if entity.gender == gender or best is None:
                    best = (self._positions[index], entity)
                break
        if best is not None:
            return Resolution(best[1].name, True, best[1])
        # No named person fits: the last speaker known only by a description ("the minister … he added").
        for _, entity, canonical in reversed(self._speakers[max(0, before - RECENT_LIMIT) : before]):
            if entity is None and canonical and canonical.lower() not in PRONOUNS:
                return Resolution(canonical, False)
        return None

    def _description(self, lowered: list[str], position: int) -> Entity | None:
        lowered = [w for w in lowered if w]
        if not lowered:
            return None
        head = lowered[-1]
        modifiers = set(lowered[1:-1]) - DETERMINERS
        recent = list(self._recent(position))
        if head in ORGANISATION_HEADS and head not in ROLE_NOUNS:
            # "the union" → the Rail Drivers' Union; "the regulator" → the organisation named last.
            organisations = [e for e in recent if not e.is_person]
            named = next((e for e in organisations if head in e.words), None)
            return named or (organisations[0] if organisations and lowered[0] == "the" else None)
        if head not in ROLE_NOUNS and head not in GENERIC_HEADS:
            return None
        people = [p for p in recent if p.is_person and p.roles]
        for person in people:
            if head in person.roles and modifiers <= person.roles | {"former", "new", "top", "senior"}:
                return person
        for person in people:
            if head in person.roles:
                return person
        if head in GENERIC_HEADS:
            for person in people:
                if modifiers & person.roles:
                    return person
            if people:
                return people[0]
        if lowered[0] == "the" and head not in OFFICE_HEADS:
            # "the 54-year-old economist" after a named speaker: that speaker (but "the minister" is no senator).
            for _, entity, _ in reversed(self._speakers):
                if entity is not None and entity.is_person:
                    return entity
        return None


def _name_inside(words: list[str]) -> list[str] | None:
    """The name a description holds: after a preposition ("a spokesman for Noto Coast Power"), an acronym
    ("the WHO report") or a name after lowercase words ("the national statistics agency INSEE")."""
    for index, word in enumerate(words):
        if word in {"for", "at", "by", "from", "of", "with"} and index + 1 < len(words):
            if any(is_capitalised(w) for w in words[:index]):
                break  # "Economist Ciara Doyle of Trinity College", "National Institute for Space Research"
            rest = [w for w in words[index + 1 :] if norm(w) not in DETERMINERS]
            if rest and all(is_capitalised(w) or w in CONNECTORS for w in rest):
                return rest
    if not words:
        return None
    if not is_capitalised(words[-1]):
        acronyms = [w for w in words if w.isupper() and len(w) > 1 and norm(w) not in NATIONALITIES]
        return acronyms[:1] or None
    tail: list[str] = []
    for index in range(len(words) - 1, -1, -1):
        word = words[index]
        joins = word in CONNECTORS and tail and index > 0 and is_capitalised(words[index - 1])
        if not (is_capitalised(word) or joins):
            return tail if tail and not all(norm(w) in NATIONALITIES for w in tail) else None
        tail.insert(0, word)
    return None
