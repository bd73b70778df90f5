"""Who speaks: the mention of a speaker next to a cue, and the canonical name it refers to in the article.

Rules, no model. Names are runs of capitalised words. A run with an organisation word ("Council", "Agency",
"Union") or an acronym is an organisation; any other run is a person's name once the titles and roles in front
of it are set aside ("Health Minister Radu Ionescu" → "Radu Ionescu", roles health, minister); lowercase roles
before it ("union general secretary Bernadette Kelly") and an apposition after it (", the Kremlin spokesman,")
are the person's roles too. A person's gender comes from a title (Mr., Mrs.), a gendered role (spokeswoman), a
short list of first names, or the first "he"/"she" that follows their first mention. A mention resolves to:
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
import functools
import re
from collections.abc import Iterator
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
    rf"(?:[^\W_]\.){{2,}}|(?:{ABBREVIATIONS})\.|[A-Z]\.(?=\s)|[^\W_](?:[\w’'\-\u0300-\u036f]*[^\W_\u0300-\u036f]|[\u0300-\u036f]+)?"
    r"(?:(?<=s)['’](?=[ \u00a0][A-Z]))?|[^\w\s]"
)

# Capitalised words that title or describe a person in front of their name, lowercased, dots dropped.
TITLES = word_set(
    """
    mr mrs ms miss dr prof professor sir dame lord lady rev reverend president vice prime minister secretary sen
    senator rep representative gov governor mayor chancellor king queen prince princess pope judge justice chief
    director chairman chairwoman chair ceo ambassador general gen lt col capt sgt adm maj cmdr officer speaker
    leader deputy foreign defense defence interior finance state attorney commissioner sheriff premier former
    democratic republican candidate nominee presidential congressman congresswoman spokesman spokeswoman
    spokesperson sheikh ayatollah emir sultan executive detective coach pastor bishop cardinal rabbi imam
    majority minority first hon honorable councillor councilman councilwoman alderman prosecutor inspector
    superintendent constable captain striker goalkeeper midfielder defender substitute manager economist
    envoy special assistant associate acting interim senior chief-executive archbishop father sister brother
    """
)
# Nouns that name a role; a description with one of them as its head refers to a person.
ROLE_NOUNS = word_set(
    """
    president leader minister secretary senator governor mayor chancellor spokesman spokeswoman spokesperson
    official chief director chairman chairwoman ceo ambassador candidate nominee general commander king queen
    prince premier lawmaker congressman congresswoman representative judge prosecutor attorney lawyer barrister
    solicitor adviser advisor aide economist analyst professor researcher expert author founder head manager
    executive coach owner officer sheriff commissioner pope activist strategist pollster editor reporter
    correspondent columnist diplomat envoy negotiator businessman businesswoman billionaire mogul democrat
    republican politician scientist doctor physician dean chair speaker justice attorney-general
    vice-president host anchor actor actress singer witness resident victim father mother wife husband son
    daughter brother sister campaigner organizer organiser employee worker student teacher president-elect
    rival opponent challenger incumbent monarch dictator emir sultan pastor priest rabbi imam bishop cardinal
    chef councillor captain striker goalkeeper midfielder defender player winner champion seed veteran
    founder-director principal headteacher teacher nurse farmer driver pilot engineer architect curator artist
    director-general governor-general inspector detective constable superintendent
    """
)
ROLE_OR_TITLE = ROLE_NOUNS | TITLES
# Roles that are offices: a description by one of them refers only to someone holding it.
OFFICE_HEADS = word_set(
    """
    president minister senator governor mayor chancellor secretary judge commissioner ambassador king queen prince
    princess pope premier speaker chairman chairwoman sheriff representative congressman congresswoman councillor
    prosecutor general commander ceo director chief
    """
)
GENERIC_HEADS = word_set(
    """
    leader official politician head chief executive man woman figure
    """
)
MALE_WORDS = word_set(
    """
    mr he him his himself king prince sir lord spokesman congressman businessman chairman councilman father
    husband son brother man pope emir sultan
    """
)
FEMALE_WORDS = word_set(
    """
    mrs ms miss she her herself queen princess lady dame spokeswoman congresswoman businesswoman chairwoman
    councilwoman mother wife daughter sister woman actress
    """
)
# First names whose gender the "-a" rule gets wrong, or that are common enough to be worth knowing.
MALE_NAMES = word_set(
    """
    luca andrea nikola sasha joshua ezra jonah elijah noah mustafa isa musa akira kenta dima ilya kostya
    misha nikita jamie joe john james michael david robert william richard thomas charles daniel matthew mark
    paul peter steven andrew kevin brian george edward ronald timothy jason jeffrey ryan jacob gary nicholas
    eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander patrick frank raymond
    jack dennis jerry tyler aaron jose adam henry nathan douglas zachary kyle walter ethan jeremy harold keith
    christian roger terry gerald sean seán carl arthur lawrence dylan jesse bryan joe jordan billy bruce albert
    willie gabriel logan alan juan wayne roy ralph randy eugene vincent russell elijah louis bobby philip
    philippe pierre jean jacques françois francois hans jürgen jurgen klaus wolfgang pieter jan lars erik
    olaf sven mikhail vladimir sergei dmitry ivan ali mohammed muhammad ahmed omar hassan tomás tomas liam
    oliver harry colin graham ian tom raj takeshi radu donald barack bernie mitt hillary
    """
)
FEMALE_NAMES = word_set(
    """
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty margaret sandra
    ashley kimberly emily donna michelle dorothy carol amanda melissa deborah stephanie rebecca sharon laura
    cynthia kathleen amy shirley angela helen anna brenda pamela nicole emma samantha katherine christine
    debra rachel catherine carolyn janet ruth maria heather diane virginia julie joyce victoria olivia kelly
    christina lauren joan evelyn judith megan cheryl andrea hannah martha jacqueline frances gloria ann teresa
    kathryn sara janice jean alice madison doris abigail julia judy grace denise amber marilyn beverly
    danielle theresa sophia marie diana brittany natalie isabella charlotte rose alexis kayla hillary karin
    ewa helene hélène orla ciara femke lucy bernadette beatriz fiona lena nadia amira adaeze marta elena
    lucia dana carmen ines inés ingrid astrid greta sigrid yuki mei aiko
    """
)
# A capitalised run containing one of these names an organisation.
ORGANISATION_WORDS = word_set(
    """
    organization organisation party council committee department ministry university agency service services
    association union bank fund court institute center centre foundation inc corp co ltd plc llc group
    commission office police army force forces administration campaign network journal alliance company
    corporation media club league team school college hospital airlines airways motors systems technologies
    reserve board bureau command authority federation society trust council institution unit prefecture
    renewables energy foods power rail railways industries holdings partners capital bureau observatory
    monitor watch coalition movement front congress parliament senate assembly government cabinet fc
    """
)
# Capitalised words that make a run a place, a date or a thing: neither a person nor an organisation.
NOT_NAME_WORDS = word_set(
    """
    house times post news press report review daily magazine tribune herald guardian telegraph monday tuesday
    wednesday thursday friday saturday sunday january february march april may june july august september
    october november december monthly weekly poll survey plan act bill program programme project war cup games
    olympics day week square road river mountain sea ocean gulf north south east west northern southern
    eastern western capitol hall street avenue city county state states republic kingdom nations united
    federal national international treaty summit open championship prize festival award awards
    """
)
# Nouns that head the description of an organisation however it is named: "the ministry plans …".
CORE_ORGANISATION_HEADS = word_set(
    """
    organization organisation party council committee department ministry university agency service association
    union bank fund court institute center centre foundation group commission office police army administration
    campaign network company corporation club league team school college hospital board bureau authority
    federation society trust government cabinet parliament senate congress assembly regulator firm operator
    """
)
# Heads of descriptions that stand for an organisation: "the union", "the ministry", "the company".
ORGANISATION_HEADS = ORGANISATION_WORDS | word_set(
    """
    developer operator insurer retailer regulator airline firm charity watchdog channel newspaper broadcaster
    consultancy manufacturer carmaker lender bank maker supplier owner
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
    earlier later since outside inside speaking asked
    """
)
CONNECTORS = word_set(
    """
    de del della da van von der den la le bin ibn al el of du dos das st. and for
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
    burmese soviet us u.s uk eu un kremlin white
    """
)


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """Every token of a text as (start, end, text)."""
    tokens = []
    position = 0
    find = text.find
    for word in TOKEN.findall(text):  # a third faster than building a match object per token
        position = find(word, position)
        end = position + len(word)
        tokens.append((position, end, word))
        position = end
    return tokens


@functools.lru_cache(maxsize=16384)
def norm(word: str) -> str:
    """A word as the look-up tables hold it: lowercase, no dots, no possessive."""
    word = word.lower().replace(".", "")
    for suffix in ("’s", "'s", "’", "'"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def is_capitalised(word: str) -> bool:
    return word[:1].isupper()


@dataclass(slots=True, eq=False)
class Entity:
    """A person or an organisation named in the article."""

    name: str  # canonical: the longest form of the name met in the article, without titles
    words: set[str]  # normalised words of the name
    last: str  # normalised last word (a person's surname)
    is_person: bool
    roles: set[str] = field(default_factory=set)
    gender: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Resolution:
    speaker: str  # the canonical name, or the mention as written when it resolves to no one
    named: bool  # resolved to a named person or organisation
    entity: Entity | None = None


HIGH_WEIGHT_WORDS = frozenset({"of", "and", "for"})
RECENT_LIMIT = 60  # connectors that only organisation names may contain


class Cast:
    """The people and organisations named in one article, in order of mention, and the speakers met so far."""

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
        self._speakers: list[tuple[int, Entity | None, str]] = []  # (position, entity, canonical) of quotes
        self._lowercase_words: set[str] | None = None
        self._scan_names()
        self._find_genders()

    # -- building --------------------------------------------------------------------------------------------

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
        name = _strip_possessive(self.body[tokens[first][0] : tokens[last][1]])
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
        name = _strip_possessive(" ".join(words))
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
        person.gender = _gender(roles) or (_first_name_gender(lowered[0]) if full else None)
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

    # -- resolving -------------------------------------------------------------------------------------------

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
        text = _strip_possessive(mention.text)
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
            name = _strip_possessive(" ".join(words))
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
        name = _strip_possessive(" ".join(words))
        if name.isupper():
            entity = self._register_organisation(words, None)
            self._note_mention(position, entity, False)
            return Resolution(name, True, entity)
        entity = Entity(name=name, words=set(lowered), last=lowered[-1], is_person=True)
        if len(lowered) > 1:
            entity.gender = _first_name_gender(lowered[0])
        if entity.gender is None:
            match = PRONOUN_AFTER.search(self.body, position, position + 300)
            entity.gender = None if match is None else ("m" if match.group().lower() in {"he", "his", "him"} else "f")
        self._add_entity(entity)
        self._note_mention(position, entity, False)
        return Resolution(name, True, entity)

    def _add_entity(self, entity: Entity) -> None:
        self.entities.append(entity)
        if entity.is_person:
            self._by_last.setdefault(entity.last, []).append(entity)
        for word in entity.words:
            self._by_word.setdefault(word, []).append(entity)

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


PRONOUN_AFTER = re.compile(r"\b(?:[Hh]e|[Hh]is|[Hh]im|[Ss]he|[Hh]er)\b")


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


def _person_of_organisation(words: list[str], lowered: list[str]) -> int:
    """Where "of" splits a run into a person and an organisation ("Ciara Doyle of Trinity College"), or 0."""
    if "of" not in words or not ORGANISATION_WORDS & set(lowered):
        return 0
    cut = words.index("of")
    before = lowered[:cut]
    if cut == 0 or ORGANISATION_WORDS & set(before) or before[-1] in ROLE_OR_TITLE:
        return 0
    return cut if cut > 1 or before[0] not in ROLE_OR_TITLE else 0


def _is_nationality(word: str) -> bool:
    return norm(word) in NATIONALITIES


def _first_name_gender(first: str) -> str | None:
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


def _strip_possessive(text: str) -> str:
    return text[:-2] if text.endswith(("’s", "'s")) else text
