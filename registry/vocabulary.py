"""The closed vocabularies of the registry: kinds, categories, relation types, roles, stances.

Values are Swedish because they are data that officials read; the Python names are English.
The endpoint rules live here, next to the vocabulary they constrain, so that the model, the
validator and the graph backends all read one table.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "CATEGORY_FOLDERS",
    "COLLABORATION_KINDS",
    "ENDPOINT_RULES",
    "FORUM_KINDS",
    "MUNICIPAL_KINDS",
    "OTHER_PUBLIC_KINDS",
    "OTHER_STRUCTURE_KINDS",
    "PERSON_TARGETS",
    "PROCESS_KINDS",
    "PUBLIC_BODY_KINDS",
    "REFERENCE_KINDS",
    "RELATION_LABELS",
    "STRATEGY_KINDS",
    "VERDICT_WORDS",
    "Category",
    "Kind",
    "OverlapKind",
    "PublicRole",
    "RelationType",
    "Role",
    "Stance",
    "Status",
    "Verdict",
    "category_of",
]


class Status(StrEnum):
    """Whether a structure or relation exists, is proposed, or has been wound down."""

    BEFINTLIG = "befintlig"
    FORESLAGEN = "föreslagen"
    AVVECKLAD = "avvecklad"


class Category(StrEnum):
    """Broad classes of entities; each has its own folder and its own model."""

    ACTOR = "actor"
    STRUCTURE = "structure"
    AREA = "area"
    THEME = "theme"
    GROUP = "group"
    DOCUMENT = "document"
    DECISION = "decision"
    CONSULTATION = "consultation"
    PERSON = "person"


class Kind(StrEnum):
    """What an entity is, in the words Swedish municipalities use."""

    # actors
    KOMMUNFULLMAKTIGE = "kommunfullmäktige"
    KOMMUNSTYRELSE = "kommunstyrelse"
    UTSKOTT = "utskott"
    NAMND = "nämnd"
    FORVALTNING = "förvaltning"
    STADSKONTOR = "stadskontor"
    AVDELNING = "avdelning"
    KOMMUNALT_BOLAG = "kommunalt_bolag"
    STATLIG_MYNDIGHET = "statlig_myndighet"
    REGION = "region"
    KOMMUNALFORBUND = "kommunalförbund"
    CIVILSAMHALLE = "civilsamhälle"
    NARINGSLIV = "näringsliv"
    AKADEMI = "akademi"
    POLITISKT_PARTI = "politiskt_parti"
    KOLLEKTIV = "kollektiv"
    # forum-like structures
    STYRGRUPP = "styrgrupp"
    ARBETSGRUPP = "arbetsgrupp"
    SAMVERKANSFORUM = "samverkansforum"
    NATVERK = "nätverk"
    TEAM = "team"
    RAD = "råd"
    PLATTFORM = "plattform"
    FUNKTION = "funktion"
    # process-like structures
    PROCESS = "process"
    INITIATIV = "initiativ"
    PROGRAM = "program"
    PROJEKT = "projekt"
    MODELL = "modell"
    UPPDRAG = "uppdrag"
    INSATS = "insats"
    # policy
    STRATEGI = "strategi"
    POLICY = "policy"
    PLAN = "plan"
    OVERENSKOMMELSE = "överenskommelse"  # an agreement between parties: IOP, LÖK, SÖK
    # things the sources mention that are not collaboration: surveys, reports, goals
    UNDERSOKNING = "undersökning"
    RAPPORT = "rapport"
    MAL = "mål"
    # a type of meeting place
    MOTESPLATS = "mötesplats"
    # an event, once or recurring (a fair, a conference): met at, not a structure that meets
    EVENEMANG = "evenemang"
    # the source names the thing without saying what kind of thing it is: a kind not guessed
    EJ_ANGIVEN = "ej_angiven"
    # the rest, one category each
    OMRADE = "område"
    TEMA = "tema"
    MALGRUPP = "målgrupp"
    DOKUMENT = "dokument"
    BESLUT = "beslut"
    REMISS = "remiss"
    # a person in a public role (see PublicRole)
    PERSON = "person"


class PublicRole(StrEnum):
    """The only reasons a person is in the registry: an elected office, or a post held in service."""

    FORTROENDEVALD = "förtroendevald"
    TJANSTEPERSON = "tjänsteperson"


# the municipality's own bodies, and the public bodies beside them (state, region, kommunalförbund)
MUNICIPAL_KINDS = frozenset(
    {
        Kind.KOMMUNFULLMAKTIGE,
        Kind.KOMMUNSTYRELSE,
        Kind.UTSKOTT,
        Kind.NAMND,
        Kind.FORVALTNING,
        Kind.STADSKONTOR,
        Kind.AVDELNING,
    }
)
OTHER_PUBLIC_KINDS = frozenset({Kind.STATLIG_MYNDIGHET, Kind.REGION, Kind.KOMMUNALFORBUND})
PUBLIC_BODY_KINDS = MUNICIPAL_KINDS | OTHER_PUBLIC_KINDS
ACTOR_KINDS = PUBLIC_BODY_KINDS | frozenset(
    {
        Kind.KOMMUNALT_BOLAG,
        Kind.CIVILSAMHALLE,
        Kind.NARINGSLIV,
        Kind.AKADEMI,
        Kind.POLITISKT_PARTI,
        Kind.KOLLEKTIV,
    }
)
FORUM_KINDS = frozenset(
    {
        Kind.STYRGRUPP,
        Kind.ARBETSGRUPP,
        Kind.SAMVERKANSFORUM,
        Kind.NATVERK,
        Kind.TEAM,
        Kind.RAD,
        Kind.PLATTFORM,
        Kind.FUNKTION,
    }
)
PROCESS_KINDS = frozenset(
    {
        Kind.PROCESS,
        Kind.INITIATIV,
        Kind.PROGRAM,
        Kind.PROJEKT,
        Kind.MODELL,
        Kind.UPPDRAG,
        Kind.INSATS,
    }
)
STRATEGY_KINDS = frozenset({Kind.STRATEGI, Kind.POLICY, Kind.PLAN, Kind.OVERENSKOMMELSE})
# mentioned by the sources and related to structures, but not collaboration: never counted by the
# overlap, gap and broker analyses unless asked for by kind
REFERENCE_KINDS = frozenset({Kind.UNDERSOKNING, Kind.RAPPORT, Kind.MAL})
# events, and things whose kind the sources do not give: structures, but not counted either
OTHER_STRUCTURE_KINDS = frozenset({Kind.EVENEMANG, Kind.EJ_ANGIVEN})
STRUCTURE_KINDS = (
    FORUM_KINDS | PROCESS_KINDS | STRATEGY_KINDS | REFERENCE_KINDS | OTHER_STRUCTURE_KINDS | {Kind.MOTESPLATS}
)
# what the analyses count by default: forums, networks, teams, processes and programmes
COLLABORATION_KINDS = FORUM_KINDS | PROCESS_KINDS

_CATEGORY_OF: dict[Kind, Category] = {
    **dict.fromkeys(ACTOR_KINDS, Category.ACTOR),
    **dict.fromkeys(STRUCTURE_KINDS, Category.STRUCTURE),
    Kind.OMRADE: Category.AREA,
    Kind.TEMA: Category.THEME,
    Kind.MALGRUPP: Category.GROUP,
    Kind.DOKUMENT: Category.DOCUMENT,
    Kind.BESLUT: Category.DECISION,
    Kind.REMISS: Category.CONSULTATION,
    Kind.PERSON: Category.PERSON,
}

CATEGORY_FOLDERS: dict[Category, str] = {
    Category.ACTOR: "actors",
    Category.STRUCTURE: "structures",
    Category.AREA: "areas",
    Category.THEME: "themes",
    Category.GROUP: "groups",
    Category.DOCUMENT: "documents",
    Category.DECISION: "decisions",
    Category.CONSULTATION: "consultations",
    Category.PERSON: "persons",
}


def category_of(kind: Kind) -> Category:
    """The category (and so the folder and model) an entity of this kind belongs to.

    >>> category_of(Kind.NAMND).value
    'actor'
    """
    return _CATEGORY_OF[kind]


class RelationType(StrEnum):
    """The typed relations between entities; each has its own endpoint rule."""

    PARTICIPATES_IN = "participates_in"
    MANDATE = "mandate"
    REPORTS_TO = "reports_to"
    PART_OF = "part_of"
    OPERATES_IN = "operates_in"
    ADDRESSES = "addresses"
    TARGETS = "targets"
    FUNDS = "funds"
    POSITION = "position"
    ABOUT = "about"


class Role(StrEnum):
    """An actor's role in a structure it participates in."""

    DELTAR = "deltar"
    LEDER = "leder"
    SAMORDNAR = "samordnar"
    SAMMANKALLAR = "sammankallar"
    FINANSIERAR = "finansierar"
    AGER = "äger"


class Stance(StrEnum):
    """What a respondent's answer does with the question it answers."""

    FORESLAR = "föreslår"
    STODJER = "stödjer"
    MOTSATTER_SIG = "motsätter_sig"
    VARNAR_FOR_OVERLAPP = "varnar_för_överlapp"
    AVSTAR = "avstår"
    KOMMENTERAR = "kommenterar"
    RESERVATION = "reservation"
    SARSKILT_YTTRANDE = "särskilt_yttrande"


class OverlapKind(StrEnum):
    """What a statement about overlap says (a position with stance `varnar_för_överlapp`)."""

    PARALLELLA_STRUKTURER = "parallella_strukturer"  # warns of parallel structures, dubbla processer
    OVERLAPP = "överlapp"  # observes that structures overlap or adjoin
    SAMORDNING = "samordning"  # proposes merging or coordinating them
    BEFINTLIG_STRUKTUR = "befintlig_struktur"  # proposes using an existing body instead of a new one


_A, _S = Category.ACTOR, Category.STRUCTURE
_ANY = frozenset(Category)

# (allowed source categories, allowed target categories) per relation type. part_of is further
# restricted to pairs of the same category (a förvaltning is part of its nämnd, a subforum of its
# forum), which the validator checks separately.
ENDPOINT_RULES: dict[RelationType, tuple[frozenset[Category], frozenset[Category]]] = {
    # a person may also sit in an actor: a nämnd, a party (PERSON_TARGETS)
    RelationType.PARTICIPATES_IN: (frozenset({_A, Category.PERSON}), frozenset({_S})),
    RelationType.MANDATE: (frozenset({_A, _S}), frozenset({_S})),
    RelationType.REPORTS_TO: (frozenset({_A, _S}), frozenset({_A, _S})),
    RelationType.PART_OF: (
        frozenset({_A, _S, Category.AREA, Category.THEME, Category.GROUP}),
        frozenset({_A, _S, Category.AREA, Category.THEME, Category.GROUP}),
    ),
    RelationType.OPERATES_IN: (frozenset({_A, _S}), frozenset({Category.AREA})),
    RelationType.ADDRESSES: (frozenset({_A, _S, Category.DECISION}), frozenset({Category.THEME})),
    RelationType.TARGETS: (frozenset({_A, _S}), frozenset({Category.GROUP})),
    RelationType.FUNDS: (frozenset({_A, Category.DECISION}), frozenset({_A, _S})),
    RelationType.POSITION: (
        frozenset({_A}),
        frozenset({Category.CONSULTATION, Category.DECISION}),
    ),
    RelationType.ABOUT: (
        frozenset({Category.DECISION, Category.CONSULTATION, Category.DOCUMENT}),
        _ANY,
    ),
}


# what a person takes part in, besides forums and processes: the nämnd or party they sit in
PERSON_TARGETS = frozenset({Category.STRUCTURE, Category.ACTOR})

# How relations read in Swedish output, seen from the source: "ASN deltar i SBUM".
RELATION_LABELS: dict[str, tuple[str, str]] = {
    # type: (label from the source, label from the target)
    "participates_in": ("deltar i", "har deltagare"),
    "mandate": ("har mandat för", "mandat hos"),
    "reports_to": ("rapporterar till", "tar emot rapport från"),
    "part_of": ("är del av", "omfattar"),
    "operates_in": ("verkar i", "har verksamhet av"),
    "addresses": ("behandlar", "behandlas av"),
    "targets": ("riktar sig till", "målgrupp för"),
    "funds": ("finansierar", "finansieras av"),
    "position": ("ställningstagande om", "ställningstagande från"),
    "about": ("gäller", "berörs av"),
}


class Verdict(StrEnum):
    """What an analyst concluded on a pair (see registry.reviews); the first three for overlap
    pairs, the rest for duplicates."""

    BEKRAFTAD_PARALLELL = "bekräftad_parallell"
    INTE_PARALLELL = "inte_parallell"
    SAMMA = "samma"
    INTE_SAMMA = "inte_samma"
    OSAKER = "osäker"


# the short words an analyst types (`samverkan review overlap|duplicate --verdict`), per subject
VERDICT_WORDS = {
    "överlapp": {"bekräftad": Verdict.BEKRAFTAD_PARALLELL, "inte": Verdict.INTE_PARALLELL, "osäker": Verdict.OSAKER},
    "dubblett": {"samma": Verdict.SAMMA, "inte": Verdict.INTE_SAMMA, "osäker": Verdict.OSAKER},
}
