"""The words the name and quote rules know by heart: titles, roles, organisations, first names, nationalities,
and the small grammar words (determiners, pronouns, auxiliaries, prepositions) that mark where a name or a
clause starts and stops. Words are lowercase, without dots or possessive, as `tokens.norm` makes them; a set
is looked up, never matched as a regular expression alternation.

The reporting verbs themselves are in `cues.py`, the claim suggester's words in `claims.py`.
"""

from __future__ import annotations


def word_list(text: str) -> tuple[str, ...]:
    """The whitespace-separated words of a text, in order: keeps long word lists readable."""
    return tuple(text.split())


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of a text."""
    return frozenset(text.split())


# -- people and organisations ------------------------------------------------------------------------------------

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

# Nouns that speak as a group with no article: "police said", "according to prosecutors".
COLLECTIVE_NOUNS = word_set(
    """
    police staff government administration management military security intelligence research data media
    """
)
# Sources of findings that "show" or "suggest": "polls show", "the report found".
EVIDENCE_NOUNS = word_set("poll survey study data figures report research analysis records documents video")

# -- grammar -----------------------------------------------------------------------------------------------------

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

# Words after which a cue word that may be a noun ("plans", "demand") is a verb: "to call", "is warning".
VERB_MARKERS = word_set(
    "to can could will would should may might must do does did not never is are was were be been has have had"
)
# Before a cue word, an article or possessive makes it a noun: "the plan", "his claims".
NOUN_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this", "these"})
# The object of "told", "warned" that belongs to the attribution: "he told reporters on Friday, …".
OBJECT_PRONOUNS = frozenset({"me", "us", "him", "her", "them", "you", "reporters", "journalists"})
# Between a speaker and the cue: "Brenner on Wednesday defended …".
WHEN_WORDS = word_set(
    """
    monday tuesday wednesday thursday friday saturday sunday yesterday today tonight week month year weekend
    morning afternoon evening night
    """
)
# Between a cue and what it reports, or after an attribution that closes its clause.
TIME_WORDS = word_set(
    """
    monday tuesday wednesday thursday friday saturday sunday yesterday today tonight tomorrow recently again also
    later earlier publicly privately repeatedly previously once last this week month year night morning afternoon
    evening now then too separately late early flatly bluntly simply further first
    """
)
PREPOSITIONS = word_set(
    """
    in at during on to via through with before after from while when over outside inside for ahead
    """
)
# Lowercase words that end a description after its head: "the minister who …", "a spokesman said".
NP_STOP_WORDS = word_set(
    """
    who that which and as has had have is was are were said says will would could should may might can did does
    do in on to with during after before from while when because but or if than whose whom where told
    """
)
NAME_PARTICLES = frozenset({"of", "de", "van", "von", "al", "bin", "la", "le", "der", "da", "du"})
# Words that open a new clause rather than the rest of an interrupted one: "…, he said, adding that …".
NOT_CONTINUATIONS = word_set(
    """
    who which as while when after before because and but or although though since according so whose where if
    until unless
    """
)
# Words that cannot end the noun phrase of a speaker.
STOP_BEFORE_CUE = word_set(
    """
    that which what and or but to of in on at for with by as is was were are be it there this not if than so
    because while where when how why whether about from into been being do does did
    """
)
