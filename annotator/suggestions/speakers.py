"""Who speaks: the mention of a speaker next to a cue, and the canonical name it refers to in the article.

Rules, no model. Names are runs of capitalised words; the title or role words in front of a name ("Russian
President", "Sen.", "Democratic nominee") or in an apposition after it (", the Kremlin spokesman,") are kept
with the person. A later mention resolves to a person met earlier in the article:
- a name: the person whose full name contains it ("Mr. Putin", "Putin" → "Vladimir Putin");
- a definite description ("the Russian leader", "the minister"): the most recent person whose title or role
  words share its head noun, or, for a generic head ("leader", "official"), one of its other words;
- a pronoun: the most recent speaker of a compatible gender ("he", "she"), or of any kind ("they").
What cannot be resolved is returned as written ("a source", "officials").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field


def word_list(text: str) -> tuple[str, ...]:
    """The whitespace-separated words of a text, in order: keeps long word lists readable."""
    return tuple(text.split())


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of a text."""
    return frozenset(text.split())


# A word: letters, digits, inner apostrophes, hyphens and dots (so "U.S.", "Mr.", "al-Assad" and "Russia’s"
# stay whole); any other visible character is a token of its own.
ABBREVIATIONS = (
    "Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Maj|Cmdr|Gov|Rev|Hon|Sr|Jr|St|Supt|Atty|Pres|Sec|Amb|Cpl|Pvt"
)
TOKEN = re.compile(
    rf"(?:[^\W_]\.){{2,}}|(?:{ABBREVIATIONS})\.|[A-Z]\.(?=\s)|[^\W_](?:[\w’'\-\u0300-\u036f]*[^\W_\u0300-\u036f]|[\u0300-\u036f]+)?|[^\w\s]"
)

# Capitalised words that title or describe a person in front of their name, lowercased, dots dropped.
TITLES = word_set(
    """
    mr mrs ms miss dr prof professor sir dame lord lady rev reverend president vice prime minister secretary sen
    senator rep representative gov governor mayor chancellor king queen prince princess pope judge justice chief
    director chairman chairwoman chair ceo ambassador general gen lt col capt sgt adm maj cmdr officer speaker
    leader deputy foreign defense defence interior finance state attorney commissioner sheriff premier former
    democratic republican candidate nominee presidential congressman congresswoman spokesman spokeswoman
    spokesperson sheikh ayatollah emir sultan executive detective coach pastor bishop cardinal rabbi imam house
    senate majority minority gop labour conservative liberal first hon honorable
    """
)
# Nouns that name a role; a description with one of them as its head refers to a person.
ROLE_NOUNS = word_set(
    """
    president leader minister secretary senator governor mayor chancellor spokesman spokeswoman spokesperson
    official chief director chairman chairwoman ceo ambassador candidate nominee general commander king queen
    prince premier lawmaker congressman congresswoman representative judge prosecutor attorney lawyer adviser
    advisor aide economist analyst professor researcher expert author founder head manager executive coach owner
    officer sheriff commissioner pope activist strategist pollster editor reporter correspondent columnist
    diplomat envoy negotiator businessman businesswoman billionaire mogul democrat republican politician senior
    scientist doctor physician dean chair speaker justice attorney-general vice-president prime host anchor star
    actor actress singer witness resident victim father mother wife husband son daughter brother sister campaigner
    organizer organiser partner member employee worker student teacher president-elect rival opponent challenger
    incumbent monarch dictator emir sultan pastor priest rabbi imam bishop cardinal chef
    """
)
ROLE_OR_TITLE = ROLE_NOUNS | TITLES
GENERIC_HEADS = word_set(
    """
    leader official politician head chief executive man woman figure
    """
)
MALE_WORDS = word_set(
    """
    mr he him his himself king prince sir lord spokesman congressman businessman chairman father husband son
    brother man pope emir sultan
    """
)
FEMALE_WORDS = word_set(
    """
    mrs ms miss she her herself queen princess lady dame spokeswoman congresswoman businesswoman chairwoman mother
    wife daughter sister woman actress
    """
)
# A capitalised run containing one of these names an organisation, a place or a publication, not a person.
ORGANISATION_WORDS = word_set(
    """
    organization organisation party council committee department ministry university agency service services
    association union bank fund court house senate congress parliament times post news institute center centre
    foundation inc corp co group commission office police army force forces administration campaign network
    journal press alliance states republic kingdom nations city county street avenue company corporation media tv
    radio club league team state federal national international american school college hospital airlines airways
    motors systems technologies reserve board bureau command treaty summit report review daily magazine tribune
    herald guardian telegraph monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december monthly weekly poll survey plan act bill
    program programme project war cup games olympics day week square road river mountain sea ocean gulf north
    south east west northern southern eastern western capitol hall cnn fbi cia nsa un eu nato gop dnc rnc u.s uk
    usa ukraine russia china europe africa asia america iran iraq syria israel mexico canada
    """
)
PRONOUNS = {"he": "m", "she": "f", "they": "p", "we": "p", "i": None, "it": "n", "who": None}
DETERMINERS = word_set(
    """
    the a an his her their its our my your this that these those one another some many several two three four five
    other both most all each any no few senior top
    """
)
# Words that may stand between a speaker and the cue verb ("Putin has also said").
AUXILIARIES = word_set(
    """
    has have had is was were are be been also later then once previously recently repeatedly again publicly
    privately reportedly further would will could might may can just already often still even never not only
    flatly bluntly simply first famously earlier did does do subsequently frequently separately since long
    ultimately initially quickly immediately openly herself himself themselves itself always
    """
)
COMMON_OPENERS = word_set(
    """
    but and when after before while if as in on at for yesterday today meanwhile however still so then now last
    earlier later since
    """
)
CONNECTORS = word_set(
    """
    de del della da van von der den la le bin ibn al el of du dos das st.
    """
)
NATIONALITIES = word_set(
    """
    american russian chinese british french german italian spanish japanese korean indian pakistani afghan iranian
    iraqi syrian israeli palestinian turkish egyptian saudi emirati qatari yemeni lebanese jordanian libyan
    tunisian moroccan algerian nigerian kenyan ethiopian south african brazilian mexican canadian australian
    argentine argentinian chilean colombian venezuelan cuban peruvian ukrainian polish hungarian czech slovak
    romanian bulgarian serbian croatian greek dutch belgian swiss austrian swedish norwegian danish finnish irish
    scottish welsh english portuguese european asian arab kurdish belarusian georgian armenian azerbaijani kazakh
    uzbek vietnamese thai indonesian malaysian filipino philippine taiwanese bangladeshi sri lankan nepalese
    burmese north western eastern soviet us u.s uk eu un nato kremlin white
    """
)


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """Every token of a text as (start, end, text)."""
    return [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]


def norm(word: str) -> str:
    """A word as the look-up tables hold it: lowercase, no dots, no possessive."""
    word = word.lower().replace(".", "")
    for suffix in ("’s", "'s", "’", "'"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def is_capitalised(word: str) -> bool:
    return word[:1].isupper()


@dataclass(slots=True)
class Person:
    name: str  # canonical: the longest form of the name met in the article
    words: set[str]  # normalised words of the name
    last: str  # normalised surname
    roles: set[str] = field(default_factory=set)
    gender: str | None = None
    is_person: bool = True


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    text: str


class Cast:
    """The people and organisations named in one article, in order of mention, and the speakers met so far."""

    def __init__(self, body: str, tokens: list[tuple[int, int, str]] | None = None) -> None:
        self.body = body
        self.tokens = tokens if tokens is not None else tokenize(body)
        self.people: list[Person] = []
        self._by_surname: dict[str, list[Person]] = {}
        self._positions: list[int] = []  # start of each name mention, sorted
        self._mentioned: list[Person] = []  # the person of each mention, same order
        self._speakers: list[tuple[int, Person | None, str]] = []  # (position, person, canonical) of quotes
        self._lowercase_words: set[str] | None = None
        self._scan_names()

    # -- building --------------------------------------------------------------------------------------------

    def _scan_names(self) -> None:
        body = self.body
        tokens = self.tokens
        index = 0
        while index < len(tokens):
            word = tokens[index][2]
            if not is_capitalised(word) or not word[0].isalpha():
                index += 1
                continue
            run_end = index
            while run_end + 1 < len(tokens):
                nxt = tokens[run_end + 1]
                gap = body[tokens[run_end][1] : nxt[0]]
                if gap not in (" ", "\u00a0"):
                    break
                if is_capitalised(nxt[2]) and nxt[2][0].isalpha():
                    run_end += 1
                elif (
                    nxt[2].lower() in CONNECTORS
                    and run_end + 2 < len(tokens)
                    and is_capitalised(tokens[run_end + 2][2])
                    and body[nxt[1] : tokens[run_end + 2][0]] in (" ", "\u00a0")
                ):
                    run_end += 2
                else:
                    break
            self._add_run(tokens, index, run_end)
            index = run_end + 1

    def _add_run(self, tokens: list[tuple[int, int, str]], first: int, last: int) -> None:
        run_first = first
        roles: set[str] = set()
        # Leading titles, nationalities and (at a sentence start) ordinary words are not part of the name.
        while first <= last:
            word = tokens[first][2]
            lowered = norm(word)
            if lowered in TITLES or _is_nationality(word):
                roles.add(lowered)
            elif not (lowered in DETERMINERS or (first == run_first and self._is_common_word(tokens, first))):
                break
            first += 1
        if first > last:
            return
        words = [tokens[i][2] for i in range(first, last + 1)]
        lowered = [norm(w) for w in words]
        if any(w in ORGANISATION_WORDS for w in lowered) or (words[-1].isupper() and len(words[-1]) > 1):
            return
        roles |= self._roles_before(tokens, run_first)
        roles |= self._roles_after(tokens, last)
        start = tokens[first][0]
        name = _strip_possessive(self.body[start : tokens[last][1]])
        person = self._register(name, lowered, roles, full=len(words) >= 2)
        if person is not None:
            self._note_mention(start, person)

    def _is_common_word(self, tokens: list[tuple[int, int, str]], index: int) -> bool:
        """A capitalised word at a sentence start that the article also writes in lowercase ("Yesterday")."""
        start = tokens[index][0]
        before = self.body[max(0, start - 3) : start].strip(" \u00a0“\"‘'")
        if before and before[-1] not in ".!?:\n":
            return False
        if self._lowercase_words is None:
            self._lowercase_words = {m.group() for m in re.finditer(r"\b[a-z]+\b", self.body)}
        word = tokens[index][2]
        return word.lower() in self._lowercase_words or word.lower() in COMMON_OPENERS

    def _roles_before(self, tokens: list[tuple[int, int, str]], first: int) -> set[str]:
        """Lowercase role words right before a name: "Democratic presidential nominee Hillary Clinton"."""
        roles = set()
        index = first - 1
        while index >= 0 and first - index <= 3:
            word = tokens[index][2]
            lowered = norm(word)
            if lowered in ROLE_NOUNS or lowered in TITLES or (roles and word.isalpha() and word.islower()):
                roles.add(lowered)
                index -= 1
            else:
                break
        return roles if roles & ROLE_OR_TITLE else set()

    def _roles_after(self, tokens: list[tuple[int, int, str]], last: int) -> set[str]:
        """Role words of an apposition: "Dmitry Peskov, the Kremlin spokesman, …"."""
        if last + 2 >= len(tokens) or tokens[last + 1][2] != "," or norm(tokens[last + 2][2]) not in DETERMINERS:
            return set()
        words = set()
        for _, _, word in tokens[last + 3 : last + 10]:
            if word in {",", ".", ";", "—", "–", "(", ")"}:
                break
            words.add(norm(word))
        return words if words & ROLE_NOUNS else set()

    def _register(self, name: str, lowered: list[str], roles: set[str], full: bool) -> Person | None:
        surname = lowered[-1]
        for person in reversed(self._by_surname.get(surname, [])):
            if set(lowered) <= person.words:
                person.roles |= roles
                person.gender = person.gender or _gender(roles)
                return person
        if not full and not roles & TITLES:
            # A lone capitalised word is a person only if it is the surname of someone met before (above),
            # or if a title stands in front of it ("Mr. Putin" with no first name in the article).
            return None
        person = Person(name=name, words=set(lowered), last=surname, roles=roles)
        person.gender = _gender(roles)
        # A longer form of a name met before ("Clinton", later "Hillary Clinton") becomes the canonical name.
        for other in self._by_surname.get(surname, []):
            if other.words <= person.words:
                other.name, other.words = name, set(lowered)
                other.roles |= roles
                return other
        self.people.append(person)
        self._by_surname.setdefault(surname, []).append(person)
        return person

    def _note_mention(self, position: int, person: Person) -> None:
        at = bisect.bisect_right(self._positions, position)
        self._positions.insert(at, position)
        self._mentioned.insert(at, person)

    # -- resolving -------------------------------------------------------------------------------------------

    def resolve(self, mention: Mention) -> tuple[str, bool]:
        """The canonical name of the speaker a mention refers to, and whether it resolved to a named person."""
        words = [m.group() for m in TOKEN.finditer(mention.text)]
        if not words:
            return mention.text, False
        lowered = [norm(w) for w in words]
        if len(words) == 1 and lowered[0] in PRONOUNS:
            person = self._pronoun(lowered[0], mention.start)
            return (person.name, True) if person else (mention.text, False)
        if is_capitalised(words[-1]) and not (lowered[0] in DETERMINERS and len(words) > 1 and words[0].islower()):
            name_words = [w for w, lw in zip(words, lowered, strict=True) if lw not in TITLES or w == words[-1]]
            name_lowered = [norm(w) for w in name_words if not _is_nationality(w) or w == name_words[-1]]
            person = self._by_name(name_lowered, mention.start)
            if person:
                return person.name, person.is_person
            return _strip_possessive(" ".join(name_words)), False
        if lowered[0] in DETERMINERS:
            person = self._description(lowered, mention.start)
            if person:
                return person.name, True
        return _strip_possessive(mention.text), False

    def speaker_said(self, position: int, canonical: str, person: Person | None = None) -> None:
        """Remember the speaker of a quote at `position`, for pronouns and unattributed quotes after it."""
        if person is None:
            person = self.person_named(canonical)
        bisect.insort(self._speakers, (position, person, canonical), key=lambda entry: entry[0])

    def last_speaker(self, position: int) -> tuple[int, str] | None:
        """Where and who was the last quote's speaker before `position`."""
        for where, _, canonical in reversed(self._speakers):
            if where < position:
                return where, canonical
        return None

    def person_named(self, canonical: str) -> Person | None:
        """The person whose canonical name this is."""
        return next((p for p in self.people if p.name == canonical), None)

    def _recent_people(self, position: int) -> list[Person]:
        """People mentioned before `position`, most recent first, each once."""
        seen: list[Person] = []
        at = bisect.bisect_left(self._positions, position)
        for person in reversed(self._mentioned[:at]):
            if person not in seen:
                seen.append(person)
        return seen

    def _by_name(self, lowered: list[str], position: int) -> Person | None:
        if not lowered:
            return None
        candidates = [p for p in self._by_surname.get(lowered[-1], []) if set(lowered) <= p.words]
        if not candidates:
            candidates = [p for p in self.people if set(lowered) <= p.words]
        if not candidates:
            return None
        recent = self._recent_people(position + 1)
        return min(candidates, key=lambda p: recent.index(p) if p in recent else len(recent))

    def _pronoun(self, pronoun: str, position: int) -> Person | None:
        gender = PRONOUNS[pronoun]
        if gender == "n":
            return None
        for where, person, _ in reversed(self._speakers):
            if where >= position or person is None:
                continue
            if gender in ("m", "f") and person.gender not in (None, gender):
                continue
            return person
        for person in self._recent_people(position):
            if gender in ("m", "f") and person.gender not in (None, gender):
                continue
            return person
        return None

    def _description(self, lowered: list[str], position: int) -> Person | None:
        head = lowered[-1]
        if head not in ROLE_NOUNS and head not in GENERIC_HEADS:
            return None
        modifiers = set(lowered[1:-1]) - DETERMINERS
        recent = [p for p in self._recent_people(position) if p.roles]
        for person in recent:
            if head in person.roles and modifiers <= person.roles | {"former", "new", "top", "senior"}:
                return person
        for person in recent:
            if head in person.roles:
                return person
        if head in GENERIC_HEADS:
            for person in recent:
                if modifiers & person.roles:
                    return person
            return recent[0] if recent else None
        return None


def _is_nationality(word: str) -> bool:
    return norm(word) in NATIONALITIES


def _gender(words: set[str]) -> str | None:
    if words & MALE_WORDS:
        return "m"
    if words & FEMALE_WORDS:
        return "f"
    return None


def _strip_possessive(text: str) -> str:
    return text[:-2] if text.endswith(("’s", "'s")) else text
