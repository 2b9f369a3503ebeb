"""The registry's pydantic models: entities, relations and the evidence behind each fact.

One strict base (unknown fields rejected, whitespace stripped) so that a typo in a YAML file is a
reported problem, never a silently ignored key. Field descriptions document the format.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .dates import PartialDate
from .names import ID_PATTERN
from .vocabulary import Category, Kind, OverlapKind, PublicRole, RelationType, Role, Stance, Status, category_of

__all__ = [
    "Actor",
    "Area",
    "Consultation",
    "Decision",
    "Document",
    "Entity",
    "Evidence",
    "Group",
    "Person",
    "Provenance",
    "Question",
    "Relation",
    "Section",
    "Structure",
    "Theme",
    "entity_class_for",
    "relation_key",
]


def _check_id(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise ValueError(f"{value!r} är inget giltigt id (små bokstäver, siffror och enstaka '-' mellan orden)")
    return value


EntityId = Annotated[str, BeforeValidator(lambda v: v if not isinstance(v, str) else v.strip()), Field(min_length=1)]
DateValue = PartialDate


class Strict(BaseModel):
    """Base for every model: unknown fields are errors, strings are trimmed."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        populate_by_name=True,
        use_enum_values=False,
        frozen=False,
        defer_build=True,  # validators are built on first use: a cached registry never needs them
    )


class Evidence(Strict):
    """Where a fact comes from: a source document, the page, and the words it uses."""

    source: EntityId = Field(description="id of the dokument entity the quote is taken from")
    page: int | None = Field(default=None, ge=1, description="page in the source document")
    quote: str = Field(min_length=1, description="verbatim quote, whitespace may differ")
    note: str | None = Field(default=None, description="what the quote shows, if not obvious")


class Provenance(Strict):
    """Where an imported fact was read: the file, the record in it and the day. Kept apart from
    evidence, since an import says what another register holds, not what a document says."""

    file: str = Field(min_length=1, description="name of the imported file")
    record: str = Field(min_length=1, description="id or row of the record in that file")
    imported: DateValue = Field(description="day of the import")
    format: str | None = Field(default=None, description="the file's format: popolo, csv")
    url: str | None = Field(default=None, description="where the record says its data comes from")


class Question(Strict):
    """One question of a consultation (remiss), answered by the respondents."""

    id: str = Field(min_length=1, description="short id within the consultation, e.g. '1'")
    text: str = Field(min_length=1, description="the question as the consultation asks it")


class _Dated(Strict):
    """Fields shared by entities and relations: status, validity, note and evidence."""

    status: Status = Field(default=Status.BEFINTLIG, description="befintlig, föreslagen, avvecklad")
    valid_from: DateValue | None = Field(default=None, alias="from", description="valid from")
    valid_until: DateValue | None = Field(default=None, alias="until", description="valid until")
    note: str | None = Field(default=None, description="what was inferred rather than stated")
    evidence: list[Evidence] = Field(default_factory=list, description="sources of this fact")
    provenance: list[Provenance] = Field(
        default_factory=list, description="the imported records this fact comes from (no quote)"
    )

    @field_validator("valid_until")
    @classmethod
    def _from_before_until(cls, v: DateValue | None, info: ValidationInfo) -> DateValue | None:
        """Reported on `until`, with its line: the later of the two fields is the one to check."""
        start = info.data.get("valid_from")
        if start and v and start.earliest() > v.latest():
            raise ValueError(f"'until' {v} ligger före 'from' {start}")
        return v


class _RelationBase(_Dated):
    target: EntityId = Field(description="id of the entity the relation points to")

    @field_validator("target")
    @classmethod
    def _target_id(cls, v: str) -> str:
        return _check_id(v)

    def qualifier(self) -> str:
        """What tells two relations of the same type between the same entities apart."""
        return ""


class Participation(_RelationBase):
    """An actor takes part in a forum or process, in a role."""

    type: Literal["participates_in"] = "participates_in"
    role: Role = Field(default=Role.DELTAR, description="deltar, leder, samordnar, …")

    def qualifier(self) -> str:
        return self.role.value


class Mandate(_RelationBase):
    """A holder is given responsibility for a structure, ideally by a recorded decision."""

    type: Literal["mandate"] = "mandate"
    scope: str | None = Field(default=None, description="what the mandate covers")
    granted_by: EntityId | None = Field(default=None, description="id of the beslut")

    def qualifier(self) -> str:
        return self.granted_by or ""


class ReportsTo(_RelationBase):
    """Who a structure or actor answers to."""

    type: Literal["reports_to"] = "reports_to"


class PartOf(_RelationBase):
    """A förvaltning belongs to its nämnd, a subforum to its forum, an area to a larger one."""

    type: Literal["part_of"] = "part_of"


class OperatesIn(_RelationBase):
    """Where an actor or structure works."""

    type: Literal["operates_in"] = "operates_in"


class Addresses(_RelationBase):
    """Which theme an actor, structure or decision is about."""

    type: Literal["addresses"] = "addresses"


class Targets(_RelationBase):
    """Which target group a structure serves."""

    type: Literal["targets"] = "targets"


class Funds(_RelationBase):
    """Money from an actor or decision to a structure or actor."""

    type: Literal["funds"] = "funds"
    amount: int | None = Field(default=None, ge=0, description="amount in whole currency units")
    currency: str = Field(default="SEK", pattern=r"^[A-Z]{3}$")
    year: int | None = Field(default=None, ge=1900, le=2200)

    def qualifier(self) -> str:
        return str(self.year or "")


class Position(_RelationBase):
    """A respondent's answer to a consultation question, or a party's statement on a decision."""

    type: Literal["position"] = "position"
    question: str | None = Field(default=None, description="question id within the remiss")
    stance: Stance = Field(description="föreslår, stödjer, motsätter_sig, …")
    proposes: list[EntityId] = Field(default_factory=list, description="ids the answer proposes, each on its own")
    jointly: list[EntityId] = Field(
        default_factory=list, description="ids the answer proposes together, as one joint proposal ('MKB och KS')"
    )
    concerns: list[EntityId] = Field(default_factory=list, description="structures it is about")
    overlap: OverlapKind | None = Field(
        default=None, description="with stance varnar_för_överlapp: what the statement says about the structures"
    )
    existing_structures: bool = Field(
        default=False, description="the statement also speaks of 'befintliga strukturer' without naming them"
    )
    text: str | None = Field(default=None, description="the answer in short, in Swedish")

    @field_validator("proposes", "concerns", "jointly")
    @classmethod
    def _ids(cls, v: list[str]) -> list[str]:
        return [_check_id(x) for x in v]

    @model_validator(mode="after")
    def _overlap_statement(self) -> Position:
        """An overlap statement names what overlaps: two structures, or one and the existing ones."""
        if len(self.jointly) == 1:
            raise ValueError("'jointly' är ett gemensamt förslag av minst två aktörer")
        if self.stance is not Stance.VARNAR_FOR_OVERLAPP:
            if self.overlap is not None or self.existing_structures:
                raise ValueError("'overlap' och 'existing_structures' hör bara till stance varnar_för_överlapp")
            return self
        if len(set(self.concerns)) + int(self.existing_structures) < 2:
            raise ValueError(
                "ett uttalande om överlapp ska i 'concerns' nämna minst två strukturer,"
                " eller en och 'existing_structures: true'"
            )
        return self

    def qualifier(self) -> str:
        """Question and stance; an overlap statement also by what it concerns and says, since one
        speaker may speak of several sets of structures, or of one set in two ways, in one answer."""
        base = f"{self.question or ''}/{self.stance.value}"
        if self.stance is Stance.VARNAR_FOR_OVERLAPP:
            kind = self.overlap.value if self.overlap else ""
            return f"{base}/{'+'.join(sorted(set(self.concerns)))}/{kind}"
        return base


class About(_RelationBase):
    """What a decision, consultation or document concerns."""

    type: Literal["about"] = "about"


Relation = Annotated[
    Participation | Mandate | ReportsTo | PartOf | OperatesIn | Addresses | Targets | Funds | Position | About,
    Discriminator("type"),
]

RELATION_CLASSES: dict[RelationType, type[_RelationBase]] = {
    RelationType.PARTICIPATES_IN: Participation,
    RelationType.MANDATE: Mandate,
    RelationType.REPORTS_TO: ReportsTo,
    RelationType.PART_OF: PartOf,
    RelationType.OPERATES_IN: OperatesIn,
    RelationType.ADDRESSES: Addresses,
    RelationType.TARGETS: Targets,
    RelationType.FUNDS: Funds,
    RelationType.POSITION: Position,
    RelationType.ABOUT: About,
}


def relation_key(source: str, rel: _RelationBase) -> str:
    """The identity of a relation: no file may hold two relations with the same key.

    >>> relation_key("asn", Participation(target="sbum"))
    'asn|participates_in|sbum|deltar'
    """
    return "|".join([source, rel.type, rel.target, rel.qualifier()])  # type: ignore[attr-defined]


class Entity(_Dated):
    """Fields every entity has. Subclasses add what their category needs."""

    category: ClassVar[Category]

    id: EntityId = Field(description="stable id; equals the file name")
    kind: Kind = Field(description="what the entity is")
    name: str = Field(min_length=1, description="the Swedish name as the sources write it")
    short_name: str | None = Field(default=None, description="abbreviation or short form")
    aliases: list[str] = Field(default_factory=list, description="other names the sources use")
    description: str | None = Field(default=None, description="one or two sentences in Swedish")
    relations: list[Relation] = Field(default_factory=list, description="outgoing relations")

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        return _check_id(v)

    @field_validator("kind")
    @classmethod
    def _kind_in_category(cls, v: Kind) -> Kind:
        if category_of(v) is not cls.category:
            raise ValueError(f"typen {v.value!r} hör inte hemma bland {cls.category.value}-filerna")
        return v

    @field_validator("aliases")
    @classmethod
    def _aliases_unique(cls, v: list[str]) -> list[str]:
        seen: set[str] = set()
        for alias in v:
            if alias in seen:
                raise ValueError(f"aliaset {alias!r} står två gånger")
            seen.add(alias)
        return v

    @model_validator(mode="after")
    def _relation_keys_unique(self) -> Entity:
        """No relation twice (the key is what a graph backend merges on)."""
        seen: set[str] = set()
        for rel in self.relations:
            key = relation_key(self.id, rel)
            if key in seen:
                raise ValueError(f"relationen {key} står två gånger")
            seen.add(key)
        return self

    def all_names(self) -> list[str]:
        """Every name the entity can be found by, the canonical name first."""
        names = [self.name]
        if self.short_name:
            names.append(self.short_name)
        names.extend(self.aliases)
        return names


class Actor(Entity):
    """An organisation: nämnd, förvaltning, bolag, myndighet, civilsamhälle, parti …"""

    category: ClassVar[Category] = Category.ACTOR


class Structure(Entity):
    """A forum, network, team, process, programme, strategy or type of meeting place."""

    category: ClassVar[Category] = Category.STRUCTURE


class Area(Entity):
    """A geographic area."""

    category: ClassVar[Category] = Category.AREA


class Theme(Entity):
    """A theme (tema) that actors and structures address."""

    category: ClassVar[Category] = Category.THEME


class Group(Entity):
    """A target group (målgrupp)."""

    category: ClassVar[Category] = Category.GROUP


class Person(Entity):
    """A person, and only in a public role: an elected member (förtroendevald) or an official in
    their post (tjänsteperson). The evidence or provenance is what shows the role; `samverkan
    forget` removes a person and every mention of them."""

    category: ClassVar[Category] = Category.PERSON
    public_role: PublicRole = Field(description="förtroendevald or tjänsteperson: why the person is here")
    position: str | None = Field(default=None, description="the post, as the source gives it: 'ordförande'")


class Section(Strict):
    """Where one speaker's text starts in a document that compiles several (a remiss compilation)."""

    starts: str = Field(min_length=1, description="verbatim first words of the section")
    speaker: EntityId | None = Field(default=None, description="id of whose text it is; none for a shared part")


class Document(Entity):
    """A source document whose text is kept in the registry, so every quote can be checked."""

    category: ClassVar[Category] = Category.DOCUMENT
    file: str = Field(description="path of the text file, relative to the registry root")
    publisher: EntityId | None = Field(default=None, description="actor id of the publisher")
    date: DateValue | None = Field(default=None, description="date of the document")
    diarienummer: str | None = Field(default=None, description="case number the document gives, STK-2024-1374")
    sections: list[Section] = Field(
        default_factory=list, description="whose text starts where, in text order; places repeated quotes"
    )

    @field_validator("file")
    @classmethod
    def _relative(cls, v: str) -> str:
        if v.startswith("/") or ".." in v.split("/"):
            raise ValueError(f"{v!r} måste vara en sökväg inuti registret")
        return v


class Decision(Entity):
    """A decision (beslut) by a body, with its date, paragraph and diarienummer."""

    category: ClassVar[Category] = Category.DECISION
    body: EntityId = Field(description="actor id of the deciding body")
    date: DateValue = Field(description="date of the decision")
    paragraph: str | None = Field(default=None, description="paragraph in the minutes, '§ 8'")
    diarienummer: str | None = Field(default=None, description="case number, STK-2024-1374")


class Consultation(Entity):
    """A consultation (remiss) and the questions the respondents were asked."""

    category: ClassVar[Category] = Category.CONSULTATION
    issued_by: EntityId | None = Field(default=None, description="actor id of the sender")
    date: DateValue | None = Field(default=None, description="date the remiss was sent")
    document: EntityId | None = Field(default=None, description="dokument holding the answers")
    questions: list[Question] = Field(default_factory=list, description="the questions asked")

    @field_validator("questions")
    @classmethod
    def _question_ids_unique(cls, v: list[Question]) -> list[Question]:
        ids = [q.id for q in v]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"fråge-id som står två gånger: {', '.join(dupes)}")
        return v


_CLASSES: dict[Category, type[Entity]] = {
    cls.category: cls for cls in (Actor, Structure, Area, Theme, Group, Document, Decision, Consultation, Person)
}


def entity_class_for(kind: Kind) -> type[Entity]:
    """The model class that validates entities of this kind.

    >>> entity_class_for(Kind.NAMND).__name__
    'Actor'
    """
    return _CLASSES[category_of(kind)]


def validate_entity(data: Any) -> Entity:
    """Validate a loaded mapping as the entity its `kind` says it is.

    An unknown or missing kind is reported as an error on the `kind` field; the rest of the
    document is then not checked, since the kind decides which fields exist.
    """
    from pydantic import ValidationError

    if not isinstance(data, dict):
        raise ValueError("en entitetsfil måste innehålla en mappning (nyckel: värde)")
    raw = data.get("kind")
    try:
        kind = Kind(raw)
    except ValueError:
        allowed = ", ".join(k.value for k in Kind)
        raise ValidationError.from_exception_data(
            "Entity",
            [
                {
                    "type": "value_error",
                    "loc": ("kind",),
                    "input": raw,
                    "ctx": {
                        "error": f"fältet saknas: ange entitetens typ, en av: {allowed}"
                        if raw is None
                        else f"okänd typ {raw!r}; välj bland: {allowed}"
                    },
                }
            ],
        ) from None
    return entity_class_for(kind).model_validate(data)
