"""The people and organisations an article names, found from its runs of capitalised words. Rules, no model.

A run with an organisation word ("Council", "Agency", "Union") or an acronym is an organisation; any other run
is a person's name once the titles and roles in front of it are set aside ("Health Minister Radu Ionescu" →
"Radu Ionescu", roles health, minister); lowercase roles before it ("union general secretary Bernadette
Kelly") and an apposition after it (", the Kremlin spokesman,") are the person's roles too. A person's gender
comes from a title (Mr., Mrs.), a gendered role (spokeswoman), a short list of first names, or the first
"he"/"she" that follows their first mention. Who a mention refers to is decided in `speakers.py`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from annotator.suggestions.lexicon import (
    COMMON_OPENERS,
    CONNECTORS,
    DETERMINERS,
    FEMALE_NAMES,
    FEMALE_WORDS,
    MALE_NAMES,
    MALE_WORDS,
    NATIONALITIES,
    NOT_NAME_WORDS,
    ORGANISATION_WORDS,
    ROLE_NOUNS,
    ROLE_OR_TITLE,
    TITLES,
)
from annotator.suggestions.tokens import is_capitalised, norm, tokenize


@dataclass(slots=True, eq=False)
class Entity:
    """A person or an organisation named in the article."""

    name: str  # canonical: the longest form of the name met in the article, without titles
    words: set[str]  # normalised words of the name
    last: str  # normalised last word (a person's surname)
    is_person: bool
    roles: set[str] = field(default_factory=set)
    gender: str | None = None


# Connectors that only organisation names may contain: a person's name is split there.
HIGH_WEIGHT_WORDS = frozenset({"of", "and", "for"})

# The first of these after a person's first mention gives their gender when nothing else does.
PRONOUN_AFTER = re.compile(r"\b(?:[Hh]e|[Hh]is|[Hh]im|[Ss]he|[Hh]er)\b")


class NamedEntities:
    """The people and organisations named in one article, in order of mention."""

    def __init__(self, body: str, tokens: list[tuple[int, int, str]] | None = None) -> None:
        self.body = body
        self.tokens = tokens if tokens is not None else tokenize(body)
        self.entities: list[Entity] = []
        self._by_last: dict[str, list[Entity]] = {}  # people by surname
        self._by_word: dict[str, list[Entity]] = {}  # people and organisations by any word of their name
        self._organisations: dict[str, Entity] = {}  # organisations by name
        self._acronyms: dict[str, Entity] = {}
        self._positions: list[int] = []  # start of each name mention, sorted
        self._mentioned: list[tuple[Entity, bool]] = []  # (entity, opens its sentence) of each mention
        self._lowercase_words: set[str] | None = None
        self._scan_names()
        self._find_genders()

    def _scan_names(self) -> None:
        body = self.body
        tokens = self.tokens
        capitalised = [i for i, (_, _, word) in enumerate(tokens) if word[0].isupper() and word[0].isalpha()]
        next_free = 0
        for index in capitalised:
            if index < next_free:
                continue  # already part of the run before
            run_end = index
            while run_end + 1 < len(tokens):
                nxt = tokens[run_end + 1]
                if body[tokens[run_end][1] : nxt[0]] not in (" ", "\u00a0"):
                    break
                if nxt[2][0].isupper() and nxt[2][0].isalpha():
                    run_end += 1
                elif (
                    nxt[2] in CONNECTORS
                    and run_end + 2 < len(tokens)
                    and is_capitalised(tokens[run_end + 2][2])
                    and body[nxt[1] : tokens[run_end + 2][0]] in (" ", "\u00a0")
                ):
                    run_end += 2
                else:
                    break
            self._add_run(index, run_end)
            next_free = run_end + 1

    def _add_run(self, first: int, last: int) -> None:
        tokens = self.tokens
        if first == last and not self._may_name_alone(first):
            return
        run_first = first
        # An ordinary word that opens the sentence ("Yesterday", "But") or an article is not part of a name.
        while first <= last and (
            norm(tokens[first][2]) in DETERMINERS or (first == run_first and self._is_common_word(first))
        ):
            first += 1
        if first > last:
            return
        words = [tokens[i][2] for i in range(first, last + 1)]
        lowered = [norm(w) for w in words]
        start = tokens[first][0]
        opens_sentence = self._opens_sentence(tokens[run_first][0])
        cut = _person_of_organisation(words, lowered)
        if cut:
            # "Economist Ciara Doyle of Trinity College Dublin": a person, then an organisation.
            self._add_run(first, first + cut - 1)
            self._add_run(first + cut + 1, last)
            return
        if any(w in ORGANISATION_WORDS for w in lowered):
            while len(words) > 1 and words[0].endswith(("’s", "'s")):
                words, lowered, first = words[1:], lowered[1:], first + 1  # "Ireland's Data Protection Commission"
            start = tokens[first][0]
            entity = self._register_organisation(words, self._acronym_after(last))
            self._note_mention(start, entity, opens_sentence)
            return
        # A person's name cannot hold "of", "and" or "for": split there ("Albania and Croatia"), unless
        # they belong to a title ("Secretary of State John Kerry").
        titled = max((i for i, w in enumerate(lowered[:-1]) if w in ROLE_OR_TITLE), default=-1)
        if HIGH_WEIGHT_WORDS & set(words[titled + 1 :]):
            cut = next(i for i, w in enumerate(words) if w in HIGH_WEIGHT_WORDS)
            if cut:
                self._add_run(first, first + cut - 1)
            self._add_run(first + cut + 1, last)
            return
        if any(w in NOT_NAME_WORDS for w in lowered) or (words[-1].isupper() and len(words[-1]) > 1):
            return
        # Titles, roles and nationalities in front of the name: "Russian President", "Health Minister".
        cut = max((i for i, w in enumerate(lowered[:-1]) if w in ROLE_OR_TITLE or w in NATIONALITIES), default=-1)
        roles = set(lowered[: cut + 1])
        words, lowered = words[cut + 1 :], lowered[cut + 1 :]
        first += cut + 1
        roles |= self._roles_before(run_first)
        roles |= self._roles_after(last)
        name = strip_possessive(self.body[tokens[first][0] : tokens[last][1]])
        person = self._register_person(name, lowered, roles, full=len(words) >= 2)
        if person is not None:
            self._note_mention(tokens[first][0], person, opens_sentence)

    def _may_name_alone(self, index: int) -> bool:
        """A lone capitalised word names someone only as an organisation word ("Congress"), the surname of someone
        met before, or after a title ("Mr.", "President"): most lone capitalised words open a sentence."""
        lowered = norm(self.tokens[index][2])
        if lowered in ORGANISATION_WORDS or lowered in self._by_last:
            return True
        return index > 0 and norm(self.tokens[index - 1][2]) in ROLE_OR_TITLE

    def _is_common_word(self, index: int) -> bool:
        """A capitalised word at a sentence start that the article also writes in lowercase ("Yesterday")."""
        if not self._opens_sentence(self.tokens[index][0]):
            return False
        if self._lowercase_words is None:
            self._lowercase_words = {word for _, _, word in self.tokens if word.islower()}
        word = self.tokens[index][2].lower()
        return word in self._lowercase_words or word in COMMON_OPENERS

    def _opens_sentence(self, position: int) -> bool:
        before = self.body[max(0, position - 4) : position].rstrip(" \u00a0“\"‘'")
        return not before or before[-1] in ".!?:\n—"

    def _roles_before(self, first: int) -> set[str]:
        """Lowercase role words right before a name: "union general secretary Bernadette Kelly"."""
        roles = set()
        index = first - 1
        while index >= 0 and first - index <= 3:
            word = self.tokens[index][2]
            lowered = norm(word)
            if lowered in ROLE_OR_TITLE or (roles and word.isalpha() and word.islower()):
                roles.add(lowered)
                index -= 1
            else:
                break
        return roles if roles & ROLE_OR_TITLE else set()

    def _roles_after(self, last: int) -> set[str]:
        """Role words of an apposition: "Dmitry Peskov, the Kremlin spokesman, …"."""
        tokens = self.tokens
        if last + 2 >= len(tokens) or tokens[last + 1][2] != "," or norm(tokens[last + 2][2]) not in DETERMINERS:
            return set()
        words = set()
        for _, _, word in tokens[last + 3 : last + 10]:
            if word in {",", ".", ";", "—", "–", "(", ")"}:
                break
            words.add(norm(word))
        return words if words & ROLE_NOUNS else set()

    def _acronym_after(self, last: int) -> str | None:
        """The acronym a name is given in parentheses right after it: "… Organization (NATO)"."""
        tokens = self.tokens
        if last + 3 < len(tokens) and tokens[last + 1][2] == "(" and tokens[last + 3][2] == ")":
            word = tokens[last + 2][2]
            if word.isupper() and len(word) > 1:
                return word
        return None

    def _register_organisation(self, words: list[str], acronym: str | None) -> Entity:
        name = strip_possessive(" ".join(words))
        lowered = {norm(w) for w in words}
        entity = self._organisations.get(name)
        if entity is None:
            entity = Entity(name=name, words=lowered, last=norm(words[-1]), is_person=False)
            self._add_entity(entity)
            self._organisations[name] = entity
        initials = "".join(w[0] for w in words if is_capitalised(w) and w not in HIGH_WEIGHT_WORDS)
        for key in (acronym, initials if len(initials) > 1 else None):
            if key:
                self._acronyms.setdefault(key, entity)
        return entity

    def _register_person(self, name: str, lowered: list[str], roles: set[str], full: bool) -> Entity | None:
        surname = lowered[-1]
        for person in reversed(self._by_last.get(surname, [])):
            if set(lowered) <= person.words:
                person.roles |= roles
                person.gender = person.gender or _gender(roles)
                return person
        if not full and not roles & TITLES:
            # A lone capitalised word is a person only if it is the surname of someone met before (above),
            # or if a title stands in front of it ("Mr. Putin" with no first name in the article).
            return None
        person = Entity(name=name, words=set(lowered), last=surname, is_person=True, roles=roles)
        person.gender = _gender(roles) or (first_name_gender(lowered[0]) if full else None)
        # A longer form of a name met before ("Clinton", later "Hillary Clinton") becomes the canonical name.
        for other in self._by_last.get(surname, []):
            if other.words <= person.words:
                other.name, other.words = name, set(lowered)
                for word in other.words:
                    self._by_word.setdefault(word, []).append(other)
                other.roles |= roles
                other.gender = other.gender or person.gender
                return other
        self._add_entity(person)
        return person

    def _note_mention(self, position: int, entity: Entity, opens_sentence: bool) -> None:
        at = bisect.bisect_right(self._positions, position)
        self._positions.insert(at, position)
        self._mentioned.insert(at, (entity, opens_sentence))

    def _find_genders(self) -> None:
        """A person of unknown gender takes that of the first he/she after their first mention, before anyone
        else is mentioned."""
        seen = set()
        for index, position in enumerate(self._positions):
            entity = self._mentioned[index][0]
            if not entity.is_person or id(entity) in seen:
                continue
            seen.add(id(entity))
            if entity.gender:
                continue
            limit = self._positions[index + 1] if index + 1 < len(self._positions) else len(self.body)
            match = PRONOUN_AFTER.search(self.body, position, min(limit, position + 300))
            if match:
                entity.gender = "m" if match.group().lower() in {"he", "his", "him"} else "f"

    def _add_entity(self, entity: Entity) -> None:
        self.entities.append(entity)
        if entity.is_person:
            self._by_last.setdefault(entity.last, []).append(entity)
        for word in entity.words:
            self._by_word.setdefault(word, []).append(entity)


def _person_of_organisation(words: list[str], lowered: list[str]) -> int:
    """Where "of" splits a run into a person and an organisation ("Ciara Doyle of Trinity College"), or 0."""
    if "of" not in words or not ORGANISATION_WORDS & set(lowered):
        return 0
    cut = words.index("of")
    before = lowered[:cut]
    if cut == 0 or ORGANISATION_WORDS & set(before) or before[-1] in ROLE_OR_TITLE:
        return 0
    return cut if cut > 1 or before[0] not in ROLE_OR_TITLE else 0


def first_name_gender(first: str) -> str | None:
    """A gender from a first name: the known names, else a name ending in "a" is a woman's ("Ewa", "Lena")."""
    if first in MALE_NAMES:
        return "m"
    if first in FEMALE_NAMES or (first.endswith("a") and len(first) > 2):
        return "f"
    return None


def _gender(words: set[str]) -> str | None:
    if words & MALE_WORDS:
        return "m"
    if words & FEMALE_WORDS:
        return "f"
    return None


def strip_possessive(text: str) -> str:
    """A name without its possessive "’s" ("Russia’s" → "Russia")."""
    return text[:-2] if text.endswith(("’s", "'s")) else text
