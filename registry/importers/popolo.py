"""Popolo JSON into registry entities: organizations become actors or structures by their
classification, memberships participation with role and dates, areas areas, events classified as
decisions decisions.

Ids are stable: an organization exported by samverkan keeps its own id (the `samverkan` identifier);
any other gets one derived from its Popolo id, so a newer file of the same register updates the
entities instead of duplicating them. Every imported fact carries provenance (file, record id, day)
and no evidence: nobody has quoted a document for it.

Classifications samverkan does not know are errors unless a mapping file names the kind
(`classification: kind`, one a line, YAML). Names several organizations share (every council has a
"Finance Committee") are told apart by their parent's name, since a registry's names must point to
one entity each.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..dates import parse_partial_date
from ..errors import ImportFailedError
from ..models import Entity, Provenance, entity_class_for, validate_entity
from ..names import ID_PATTERN, fold, slugify
from ..vocabulary import Category, Kind, Role, category_of
from .plan import pydantic_messages

__all__ = ["CLASSIFICATIONS", "MAX_BYTES", "PopoloImport", "read_popolo"]

MAX_BYTES = 256 * 1024 * 1024
SAMVERKAN_SCHEME = "samverkan"

# Popolo classifications seen in councils' and parliaments' data, folded, and the kind they are
CLASSIFICATIONS: dict[str, Kind] = {
    "council": Kind.KOMMUNFULLMAKTIGE,
    "legislature": Kind.KOMMUNFULLMAKTIGE,
    "chamber": Kind.KOMMUNFULLMAKTIGE,
    "assembly": Kind.KOMMUNFULLMAKTIGE,
    "executive": Kind.KOMMUNSTYRELSE,
    "cabinet": Kind.KOMMUNSTYRELSE,
    "committee": Kind.NAMND,
    "board": Kind.NAMND,
    "commission": Kind.NAMND,
    "subcommittee": Kind.UTSKOTT,
    "sub committee": Kind.UTSKOTT,
    "party": Kind.POLITISKT_PARTI,
    "political party": Kind.POLITISKT_PARTI,
    "department": Kind.FORVALTNING,
    "administration": Kind.FORVALTNING,
    "agency": Kind.STATLIG_MYNDIGHET,
    "government agency": Kind.STATLIG_MYNDIGHET,
    "company": Kind.KOMMUNALT_BOLAG,
    "municipal company": Kind.KOMMUNALT_BOLAG,
    "region": Kind.REGION,
    "ngo": Kind.CIVILSAMHALLE,
    "association": Kind.CIVILSAMHALLE,
    "civil society": Kind.CIVILSAMHALLE,
    "business": Kind.NARINGSLIV,
    "university": Kind.AKADEMI,
    "network": Kind.NATVERK,
    "forum": Kind.SAMVERKANSFORUM,
    "partnership": Kind.SAMVERKANSFORUM,
    "working group": Kind.ARBETSGRUPP,
    "steering group": Kind.STYRGRUPP,
    "advisory council": Kind.RAD,
    "team": Kind.TEAM,
    "project": Kind.PROJEKT,
    "programme": Kind.PROGRAM,
    "program": Kind.PROGRAM,
    **{fold(k.value): k for k in Kind},  # samverkan's own kinds, as its export writes them
}
# Popolo membership roles, folded, and the participation role they are
ROLES: dict[str, Role] = {
    "chair": Role.LEDER,
    "chairman": Role.LEDER,
    "chairperson": Role.LEDER,
    "mayor": Role.LEDER,
    "lord mayor": Role.LEDER,
    "member": Role.DELTAR,
    "councillor": Role.DELTAR,
    "councilor": Role.DELTAR,
    "ordforande": Role.LEDER,
    "lead": Role.LEDER,
    "coordinator": Role.SAMORDNAR,
    "convener": Role.SAMMANKALLAR,
    "funder": Role.FINANSIERAR,
    "owner": Role.AGER,
    **{fold(r.value): r for r in Role},
}
_PARTICIPATING = {Category.ACTOR}  # organisations; people are checked by _person
_JOINABLE = {Category.STRUCTURE}


@dataclass
class PopoloImport:
    """The entities read from a Popolo file, and what could not be brought over, with why."""

    entities: list[Entity]
    skipped: list[str] = field(default_factory=list)


class _Reader:
    """One pass over a Popolo document; every problem is collected before giving up."""

    def __init__(self, path: Path, mapping: dict[str, Kind], today: date) -> None:
        self.path = path
        self.mapping = mapping
        self.today = today
        self.problems: list[str] = []
        self.skipped: list[str] = []
        self.ids: dict[str, str] = {}  # popolo id -> registry id, for organizations and areas
        self.data: dict[str, dict[str, Any]] = {}  # registry id -> plain entity data
        self.records: dict[str, str] = {}  # registry id -> "organizations[3]"
        self.own_roles: set[str] = set()  # people whose record gives their public role
        self.shared_slugs: set[str] = set()  # ids that different source ids would both become

    def problem(self, where: str, record: dict[str, Any] | None, message: str) -> None:
        rid = f" (id {record.get('id')!r})" if isinstance(record, dict) and record.get("id") else ""
        self.problems.append(f"{self.path.name}: {where}{rid}: {message}")

    def provenance(self, record_id: str, record: dict[str, Any]) -> list[dict[str, Any]]:
        """The record's provenance; its url is the first source that is not a quoted document."""
        url = next(
            (
                s.get("url")
                for s in record.get("sources") or []
                if isinstance(s, dict) and s.get("url") and not s.get("document_id")
            ),
            None,
        )
        prov = Provenance(file=self.path.name, record=record_id, imported=self.today.isoformat(), format="popolo")
        if url:
            prov.url = str(url)
        return [prov.model_dump(mode="json", exclude_none=True)]

    def evidence(self, record: dict[str, Any]) -> list[dict[str, Any]]:
        """Sources that quote a document (`document_id`, `page`, the quote as `note`, as samverkan's
        export writes them) as evidence; other sources are only provenance."""
        out = []
        for source in record.get("sources") or []:
            if isinstance(source, dict) and source.get("document_id") and source.get("note"):
                ev: dict[str, Any] = {"source": str(source["document_id"]), "quote": str(source["note"])}
                if source.get("page"):
                    ev["page"] = source["page"]
                if source.get("evidence_note"):
                    ev["note"] = source["evidence_note"]
                out.append(ev)
        return out

    def entity(self, eid: str, kind: Kind, record: dict[str, Any]) -> dict[str, Any]:
        """An entity's data from its record: the Popolo fields every record has, and the registry's
        own fields samverkan's export adds (see `_extras`)."""
        data: dict[str, Any] = {
            "id": eid,
            "kind": kind.value,
            "name": str(record.get("name") or "").strip() or str(record["id"]),
            "aliases": self.names(record),
        }
        if record.get("description") or record.get("abstract"):
            data["description"] = str(record.get("description") or record.get("abstract"))
        data.update(_extras(record, kind))
        evidence = self.evidence(record)
        if evidence:
            data["evidence"] = evidence
        data["provenance"] = self.provenance(str(record["id"]), record)
        data["relations"] = []
        return data

    def registry_id(self, where: str, record: dict[str, Any]) -> str | None:
        for ident in record.get("identifiers") or []:
            if isinstance(ident, dict) and ident.get("scheme") == SAMVERKAN_SCHEME:
                value = str(ident.get("identifier", ""))
                if ID_PATTERN.match(value):
                    return value
        source_id = record.get("id")
        if not isinstance(source_id, str) or not source_id.strip():
            self.problem(where, record, "saknar id")
            return None
        try:
            slug = slugify(source_id)
        except ValueError:
            self.problem(where, record, f"id {source_id!r} går inte att göra till ett id")
            return None
        if slug in self.shared_slugs:  # two source ids, one slug ('party/_greens', 'party/greens')
            slug += "-" + hashlib.sha1(source_id.encode("utf-8")).hexdigest()[:6]
        return slug

    def claim(self, where: str, record: dict[str, Any]) -> str | None:
        """The registry id of an organization or area, refusing one seen before."""
        new = self.registry_id(where, record)
        if new is None:
            return None
        source_id = str(record.get("id"))
        if source_id in self.ids or new in self.data:
            first = self.records.get(self.ids.get(source_id, new), "")
            self.problem(where, record, f"id står två gånger (även {first})")
            return None
        self.ids[source_id] = new
        self.records[new] = where
        return new

    def dates(self, record: dict[str, Any], start: str, end: str, where: str) -> dict[str, str]:
        out = {}
        for key, target in ((start, "from"), (end, "until")):
            value = record.get(key)
            if value:
                try:
                    out[target] = str(parse_partial_date(str(value)[:10]))
                except ValueError as exc:
                    self.problem(where, record, f"{key}: {exc}")
        return out

    def kind(self, where: str, record: dict[str, Any]) -> Kind | None:
        raw = record.get("classification")
        if isinstance(raw, list):  # the early specification's list of {classification}
            raw = next((c.get("classification") for c in raw if isinstance(c, dict)), None)
        if not raw:
            self.problem(where, record, "saknar classification; ange vilken typ organisationen är")
            return None
        kind = self.mapping.get(fold(str(raw))) or CLASSIFICATIONS.get(fold(str(raw)))
        if kind is None:
            self.problem(
                where, record, f"okänd klassificering {raw!r}; ange typen i en mappningsfil (--mapping, '{raw}: nämnd')"
            )
        return kind

    def names(self, record: dict[str, Any]) -> list[str]:
        others = []
        for other in record.get("other_names") or []:
            if isinstance(other, dict) and other.get("note") == "kortnamn":
                continue  # the short name (see _extras)
            name = other.get("name") if isinstance(other, dict) else None
            if isinstance(name, str) and name.strip() and name.strip() != str(record.get("name", "")).strip():
                others.append(name.strip())
        return list(dict.fromkeys(others))


def _load_json(path: Path, max_bytes: int) -> Any:
    size = path.stat().st_size
    if size > max_bytes:
        raise ImportFailedError(
            [f"{path.name}: filen är {size / 1e6:.0f} MB; gränsen är {max_bytes / 1e6:.0f} MB (--max-mb)"]
        )
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportFailedError([f"{path.name}: byte {exc.start}: filen är inte UTF-8"]) from None
    except json.JSONDecodeError as exc:
        raise ImportFailedError([f"{path.name}:{exc.lineno}: ogiltig JSON: {exc.msg} (kolumn {exc.colno})"]) from None


def _records(reader: _Reader, doc: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
    items = doc.get(key) or []
    if not isinstance(items, list):
        reader.problem(key, None, "ska vara en lista")
        return []
    out = []
    for i, item in enumerate(items):
        if isinstance(item, dict):
            out.append((f"{key}[{i}]", item))
        else:
            reader.problem(f"{key}[{i}]", None, "ska vara ett objekt")
    return out


def _shared_slugs(doc: dict[str, Any]) -> set[str]:
    """The ids that two different source ids would both be made into: each of those records gets a
    short hash of its own source id appended, whatever the order of the file, so ids stay stable."""
    sources: dict[str, set[str]] = {}
    for key in ("organizations", "persons", "areas", "events", *_OTHER_COLLECTIONS):
        items = doc.get(key)
        for item in items if isinstance(items, list) else []:
            source_id = item.get("id") if isinstance(item, dict) else None
            if isinstance(source_id, str) and source_id.strip():
                try:
                    sources.setdefault(slugify(source_id), set()).add(source_id)
                except ValueError:
                    continue  # reported when the record is read
    return {slug for slug, ids in sources.items() if len(ids) > 1}


def _disambiguate(reader: _Reader, parents: dict[str, str]) -> None:
    """Shared names become `Name (Parent)`; what still collides gets its id."""
    for attempt in ("parent", "id"):
        owners: dict[str, list[str]] = {}
        for eid, data in reader.data.items():
            for name in [data["name"], *data.get("aliases", [])]:
                owners.setdefault(fold(name), []).append(eid)
        shared = {eid for ids in owners.values() if len(set(ids)) > 1 for eid in ids}
        for eid in sorted(shared):
            data = reader.data[eid]
            data["aliases"] = []  # other names are what collide most; the record keeps them
            parent = reader.data.get(parents.get(eid, ""), {}).get("name")
            if attempt == "parent" and parent:
                data["name"] = f"{data['name']} ({parent})"
            elif attempt == "id":
                data["name"] = f"{data['name']} ({eid})"


def read_popolo(
    path: Path | str,
    mapping: dict[str, str] | None = None,
    today: date | None = None,
    max_bytes: int = MAX_BYTES,
    persons: bool = True,
) -> PopoloImport:
    """Read a Popolo JSON file (one document with organizations, memberships, areas, events,
    persons); raise ImportFailedError with every problem, each naming its record. People come in
    only with a membership of a public body (see `_person`), and not at all with `persons=False`."""
    path = Path(path)
    kinds: dict[str, Kind] = {}
    for raw, kind in (mapping or {}).items():
        try:
            kinds[fold(raw)] = Kind(kind)
        except ValueError:
            raise ImportFailedError([f"mappningsfilen: {raw!r}: okänd typ {kind!r}"]) from None
    doc = _load_json(path, max_bytes)
    if not isinstance(doc, dict):
        raise ImportFailedError([f"{path.name}: ska vara ett JSON-objekt med organizations, memberships, …"])
    reader = _Reader(path, kinds, today or date.today())
    reader.shared_slugs = _shared_slugs(doc)
    pending: Pending = []
    _others(reader, doc)
    _areas(reader, doc, pending)
    _organizations(reader, doc, pending)
    parents = _links(reader, pending)
    _memberships(reader, doc, persons)
    _events(reader, doc)
    _carried_relations(reader, doc, persons)
    if reader.problems:
        raise ImportFailedError(reader.problems)
    _disambiguate(reader, parents)
    entities = []
    for eid in sorted(reader.data):
        try:
            entities.append(validate_entity(reader.data[eid]))
        except ValidationError as exc:
            for message in pydantic_messages(exc):
                reader.problem(reader.records.get(eid, eid), {"id": eid}, message)
    if reader.problems:
        raise ImportFailedError(reader.problems)
    return PopoloImport(entities, reader.skipped)


Pending = list[tuple[str, str, str, dict[str, Any]]]  # (entity id, parent or "area:" id, where, record)


def _areas(reader: _Reader, doc: dict[str, Any], pending: Pending) -> None:
    for where, record in _records(reader, doc, "areas"):
        eid = reader.claim(where, record)
        if eid is None:
            continue
        reader.data[eid] = reader.entity(eid, Kind.OMRADE, record)
        if record.get("parent_id") and "relations" not in record:
            pending.append((eid, str(record["parent_id"]), where, record))


# the registry's fields samverkan's export writes as extra properties under their own names
_CARRIED = (
    "from",
    "until",
    "note",
    "public_role",
    "position",
    "file",
    "publisher",
    "date",
    "diarienummer",
    "sections",
    "paragraph",
    "document",
    "questions",
)
# the top-level lists samverkan's export adds, and the kind their records are by default
_OTHER_COLLECTIONS = {"themes": Kind.TEMA, "target_groups": Kind.MALGRUPP, "documents": Kind.DOKUMENT}


def _fields(kind: Kind) -> set[str]:
    """The names (aliases where a field has one) of the fields entities of this kind have."""
    return {info.alias or name for name, info in entity_class_for(kind).model_fields.items()}


def _extras(record: dict[str, Any], kind: Kind | None = None) -> dict[str, Any]:
    """What samverkan's own export adds to Popolo: a status other than befintlig, the short name
    (the other name noted `kortnamn`), and the fields of the registry format that Popolo has no
    name for, as far as the entity's kind has them (other Popolo files do not use these names)."""
    out: dict[str, Any] = {}
    if record.get("status") in ("föreslagen", "avvecklad"):
        out["status"] = record["status"]
    fields = _fields(kind) if kind is not None else set()
    for key in _CARRIED:
        if key in fields and record.get(key) not in (None, "", []):
            out[key] = record[key]
    for other in record.get("other_names") or []:
        if isinstance(other, dict) and other.get("note") == "kortnamn" and other.get("name"):
            out["short_name"] = str(other["name"])
    return out


def _organizations(reader: _Reader, doc: dict[str, Any], pending: Pending) -> None:
    for where, record in _records(reader, doc, "organizations"):
        eid = reader.claim(where, record)
        kind = reader.kind(where, record)
        if eid is None or kind is None:
            continue
        if category_of(kind) not in (Category.ACTOR, Category.STRUCTURE):
            reader.problem(where, record, f"typen {kind.value} är ingen organisation")
            continue
        data = reader.entity(eid, kind, record)
        data.update(reader.dates(record, "founding_date", "dissolution_date", where))
        reader.data[eid] = data
        if "relations" in record:
            continue  # samverkan's own export: parent_id and area_id are among its relations
        if record.get("parent_id"):
            pending.append((eid, str(record["parent_id"]), where, record))
        if record.get("area_id"):
            pending.append((eid, "area:" + str(record["area_id"]), where, record))


def _links(reader: _Reader, pending: Pending) -> dict[str, str]:
    """parent_id as part-of (same category) or reports-to, area_id as operates-in; each entity's
    parent, for telling shared names apart."""
    parents: dict[str, str] = {}
    for eid, parent, where, record in pending:
        is_area = parent.startswith("area:")
        target = reader.ids.get(parent.removeprefix("area:"))
        if target is None:
            field_name = "area_id" if is_area else "parent_id"
            reader.problem(where, record, f"{field_name} {parent.removeprefix('area:')!r} finns inte i filen")
            continue
        own, other = reader.data[eid]["kind"], reader.data[target]["kind"]
        if is_area:
            rel_type = "operates_in"
        else:
            rel_type = "part_of" if category_of(Kind(own)) is category_of(Kind(other)) else "reports_to"
            parents[eid] = target
        reader.data[eid]["relations"].append(
            {"type": rel_type, "target": target, "provenance": reader.provenance(str(record["id"]), record)}
        )
    return parents


_ELECTED = {
    Kind.KOMMUNFULLMAKTIGE,
    Kind.KOMMUNSTYRELSE,
    Kind.UTSKOTT,
    Kind.NAMND,
    Kind.POLITISKT_PARTI,
    Kind.REGION,
}
_OFFICIAL = {Kind.FORVALTNING, Kind.STADSKONTOR, Kind.AVDELNING, Kind.STATLIG_MYNDIGHET, Kind.KOMMUNALFORBUND}


def _person(reader: _Reader, people: dict[str, tuple[str, dict[str, Any]]], popolo_id: str, org: str) -> str | None:
    """The registry id of a person, created on their first membership in a public body: elected
    in a council, nämnd or party, an official in a förvaltning or agency. None for anyone else."""
    kind = Kind(reader.data[org]["kind"])
    role = "förtroendevald" if kind in _ELECTED else "tjänsteperson" if kind in _OFFICIAL else None
    if popolo_id in reader.ids:
        known = reader.ids[popolo_id]
        if role == "förtroendevald" and known not in reader.own_roles:
            reader.data[known]["public_role"] = role  # an elected office says more than a post
        return known
    if role is None or popolo_id not in people:
        return None
    where, record = people[popolo_id]
    eid = reader.claim(where, record)
    if eid is None:
        return None
    reader.data[eid] = {**reader.entity(eid, Kind.PERSON, record), "public_role": role}
    return eid


def _people_in_a_role(reader: _Reader, people: dict[str, tuple[str, dict[str, Any]]]) -> None:
    """People whose record gives their public role (samverkan's export does) come in as they are."""
    for popolo_id, (where, record) in people.items():
        if record.get("public_role") and popolo_id not in reader.ids:
            eid = reader.claim(where, record)
            if eid is not None:
                reader.data[eid] = reader.entity(eid, Kind.PERSON, record)
                reader.own_roles.add(eid)


def _memberships(reader: _Reader, doc: dict[str, Any], persons: bool) -> None:
    """Memberships in forums and processes become participation, and so do people's memberships
    of public bodies; the rest is skipped, with why."""
    people = {str(r.get("id")): (w, r) for w, r in _records(reader, doc, "persons")}
    if persons:
        _people_in_a_role(reader, people)
    for where, record in _records(reader, doc, "memberships"):
        org = reader.ids.get(str(record.get("organization_id")))
        if org is None:
            reader.problem(where, record, f"organization_id {record.get('organization_id')!r} finns inte i filen")
            continue
        member = record.get("member")
        if not isinstance(member, dict):
            member = {}
        person_id = record.get("person_id") or (member.get("id") if member.get("@type") == "Person" else None)
        if person_id is not None:
            source = _person(reader, people, str(person_id), org) if persons else None
            if source is None:
                why = "personer importeras inte (--no-persons)" if not persons else "ingen offentlig roll"
                reader.skipped.append(f"{where}: en person ({person_id}): {why}")
                continue
        else:
            source = reader.ids.get(str(member.get("id")))
            if source is None:
                reader.problem(
                    where, record, f"medlemmen {member.get('id')!r} finns inte bland organisationerna i filen"
                )
                continue
            src_cat = category_of(Kind(reader.data[source]["kind"]))
            org_cat = category_of(Kind(reader.data[org]["kind"]))
            if src_cat not in _PARTICIPATING or org_cat not in _JOINABLE:
                reader.skipped.append(
                    f"{where}: {source} i {org} (deltagande går bara från en aktör till ett forum eller en process)"
                )
                continue
        role_text = fold(str(record.get("role") or ""))
        rel: dict[str, Any] = {
            "type": "participates_in",
            "target": org,
            "role": (ROLES.get(role_text) or Role.DELTAR).value,
            **reader.dates(record, "start_date", "end_date", where),
            **{k: v for k, v in _extras(record).items() if k == "status"},
        }
        notes = [f"Rollen i källan: {record['role']}"] if record.get("role") and role_text not in ROLES else []
        if isinstance(record.get("note"), str) and record["note"].strip():
            notes.append(record["note"].strip())
        if notes:
            rel["note"] = "; ".join(notes)
        evidence = reader.evidence(record)
        if evidence:
            rel["evidence"] = evidence
        rel["provenance"] = reader.provenance(str(record.get("id") or where), record)
        _add_participation(reader, source, rel, where)
        party = reader.ids.get(str(record.get("on_behalf_of_id")))
        if person_id is not None and party is not None and party != org:
            on_behalf = {"type": "participates_in", "target": party, "role": Role.DELTAR.value}
            on_behalf["provenance"] = rel["provenance"]
            _add_participation(reader, source, on_behalf, where)


def _add_participation(reader: _Reader, source: str, rel: dict[str, Any], where: str) -> None:
    """Add a participation; the same one again (a second term, another title in the same body)
    adds its role's wording and its record to the one already there."""
    existing = reader.data[source]["relations"]
    same = next(
        (
            r
            for r in existing
            if r["type"] == "participates_in" and (r["target"], r["role"]) == (rel["target"], rel["role"])
        ),
        None,
    )
    if same is None:
        existing.append(rel)
        return
    if rel.get("note") and rel["note"] != same.get("note"):
        prefix = "Rollen i källan: "
        if str(same.get("note", "")).startswith(prefix) and rel["note"].startswith(prefix):
            same["note"] += ", " + rel["note"].removeprefix(prefix)
        else:
            same["note"] = "; ".join(filter(None, [same.get("note"), rel["note"]]))
    same["provenance"] = same["provenance"] + [p for p in rel["provenance"] if p not in same["provenance"]]
    reader.skipped.append(f"{where}: {source} i {rel['target']} står redan med samma roll; uppgifterna är sammanslagna")


_EVENT_KINDS = {"beslut": Kind.BESLUT, "decision": Kind.BESLUT, "remiss": Kind.REMISS, "consultation": Kind.REMISS}


def _events(reader: _Reader, doc: dict[str, Any]) -> None:
    """Events classified as decisions (beslut) by a known body become decisions, consultations
    (remiss) consultations; other events are skipped."""
    for where, record in _records(reader, doc, "events"):
        kind = _EVENT_KINDS.get(fold(str(record.get("classification") or "")))
        if kind is None:
            reader.skipped.append(f"{where}: en händelse som inte är ett beslut eller en remiss")
            continue
        body = reader.ids.get(str(record.get("organization_id")))
        eid = reader.claim(where, record)
        if eid is None:
            continue
        data = reader.entity(eid, kind, record)
        if kind is Kind.BESLUT:
            if body is None or not record.get("start_date"):
                reader.problem(
                    where, record, "ett beslut behöver organization_id (en organisation i filen) och start_date"
                )
                continue
            data.update(body=body, date=str(record["start_date"])[:10])
        else:
            if record.get("organization_id") and body is None:
                reader.problem(where, record, f"organization_id {record['organization_id']!r} finns inte i filen")
                continue
            if body is not None:
                data["issued_by"] = body
            if record.get("start_date"):
                data["date"] = str(record["start_date"])[:10]
        reader.data[eid] = data


def _others(reader: _Reader, doc: dict[str, Any]) -> None:
    """Themes, target groups and documents, which samverkan's export adds as top-level lists."""
    for collection, default in _OTHER_COLLECTIONS.items():
        for where, record in _records(reader, doc, collection):
            kind = reader.mapping.get(fold(str(record.get("classification") or ""))) or CLASSIFICATIONS.get(
                fold(str(record.get("classification") or "")), default
            )
            if category_of(kind) is not category_of(default):
                reader.problem(where, record, f"typen {kind.value} hör inte hemma i {collection}")
                continue
            eid = reader.claim(where, record)
            if eid is not None:
                reader.data[eid] = reader.entity(eid, kind, record)
            if eid is not None and collection == "documents":
                reader.data[eid].pop("provenance")  # a document is its own source


def _carried_relations(reader: _Reader, doc: dict[str, Any], persons: bool) -> None:
    """The relations samverkan's export keeps in each record's `relations` (all but participation,
    which is a membership): in the registry's form, sources as evidence, with provenance."""
    for collection in sorted({"organizations", "persons", "areas", "events", *_OTHER_COLLECTIONS}):
        if collection == "persons" and not persons:
            continue
        for where, record in _records(reader, doc, collection):
            source = reader.ids.get(str(record.get("id")))
            relations = record.get("relations")
            if source is None or source not in reader.data or relations is None:
                continue
            if not isinstance(relations, list):
                reader.problem(where, record, "relations ska vara en lista")
                continue
            for i, rel in enumerate(relations):
                if not isinstance(rel, dict) or not rel.get("type") or not rel.get("target"):
                    reader.problem(f"{where}.relations[{i}]", record, "en relation behöver type och target")
                    continue
                data = {k: v for k, v in rel.items() if k not in ("sources", "provenance")}
                data["target"] = reader.ids.get(str(rel["target"]), str(rel["target"]))
                evidence = reader.evidence(rel)
                if evidence:
                    data["evidence"] = evidence
                data["provenance"] = reader.provenance(f"{record['id']}.relations[{i}]", rel)
                reader.data[source]["relations"].append(data)
