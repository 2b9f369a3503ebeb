"""From a new document to a review file, and from the accepted review to the registry.

`ingest_document` reads the document (PDF, .docx or text), keeps its text under `sources/`, and
writes a review file: plain YAML, one candidate per item with `accept: false`, each with its page
and quote. A person sets `accept: true` on what holds (and may correct names, kinds, ids); then
`apply_review` writes the document entity and every accepted fact in one checked, all-or-nothing
edit. Applying the same review again finds everything already there and writes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .candidates import acronym_definitions, named_bodies, overlap_statements, relation_candidates
from .edit import EditPlan, EditSession, load_for_edit
from .errors import RegistryError
from .extract import Extracted, read_document
from .mentions import MentionFinder, sentence_at
from .merge import FileChange
from .names import fold, slugify
from .sources import SourceText
from .store import Registry, write_atomic
from .vocabulary import Category, Kind, Stance
from .writes import write_changes
from .yamlio import YamlProblem, dump_yaml, load_yaml

__all__ = ["IngestResult", "apply_review", "build_review", "ingest_document", "mention_scores"]

REVIEW_VERSION = "1"
_TYPES = ("mention", "entity", "relation", "overlap")


@dataclass
class IngestResult:
    """What ingest wrote: the review's data, where the text went, and counts by item type."""

    review: dict[str, Any]
    text_path: Path
    counts: dict[str, int]


def _quote(text: str, start: int, end: int) -> str:
    a, b = sentence_at(text, start, end)
    return " ".join(text[a:b].split())


def _page(source: SourceText, text: str, start: int) -> int:
    return source.page_of_line(text.count("\n", 0, start) + 1)


def _category(registry: Registry) -> dict[str, str]:
    return {e.id: e.category.value for e in registry}


def _suggest(registry: Registry, name: str, limit: int = 3) -> list[str]:
    """Existing entities whose names are close to a candidate's, to avoid entering one twice."""
    from rapidfuzz import fuzz, process

    choices = {(e.id, n): fold(n) for e in registry for n in e.all_names()}
    found = process.extract(fold(name), choices, scorer=fuzz.token_set_ratio, limit=limit * 3, score_cutoff=80)
    return list(dict.fromkeys(key[0] for _, _, key in found))[:limit]


def build_review(registry: Registry, extracted: Extracted, doc_id: str, file: str, **meta: Any) -> dict[str, Any]:
    """The review file's data for a document: the document, then candidates in text order."""
    text = extracted.text()
    source = SourceText(text)
    entries = [(e.id, e.all_names()) for e in registry if e.category is not Category.DOCUMENT]
    finder = MentionFinder(entries)
    mentions = finder.find(text)
    category = _category(registry)
    items: list[dict[str, Any]] = []

    def add(item_type: str, start: int, end: int, **fields: Any) -> None:
        items.append(
            {
                "type": item_type,
                **fields,
                "page": _page(source, text, start),
                "quote": _quote(text, start, end),
                "accept": False,
            }
        )

    by_entity: dict[str, list[Any]] = defaultdict(list)
    for m in mentions:
        if len(m.entity_ids) == 1:
            by_entity[m.entity_ids[0]].append(m)
    for entity_id, found in sorted(by_entity.items(), key=lambda kv: kv[1][0].start):
        pages = sorted({_page(source, text, m.start) for m in found})
        add("mention", found[0].start, found[0].end, entity=entity_id, name=registry.entities[entity_id].name,
            count=len(found), pages=pages)  # fmt: skip
    for m in mentions:
        if len(m.entity_ids) > 1:
            add("mention", m.start, m.end, entity=None, name=m.surface, ambiguous=m.entity_ids)
    known = {fold(n) for e in registry for n in e.all_names()}
    seen: set[str] = set()
    for cand in [*acronym_definitions(text), *named_bodies(text, mentions)]:
        key = fold(cand["name"])
        if key in known or key in seen or (cand.get("short_name") and fold(cand["short_name"]) in known):
            continue
        seen.add(key)
        kind = cand.get("kind") or _kind_of(cand["name"])
        add("entity", cand["start"], cand["end"], id=slugify(cand["name"]), kind=kind, name=cand["name"],
            short_name=cand.get("short_name"), possible_matches=_suggest(registry, cand["name"]))  # fmt: skip
    for cand in relation_candidates(text, mentions, category):
        if _has_relation(registry, cand):
            continue
        add("relation", cand["start"], cand["end"], source=cand["source"], relation=cand["relation"],
            role=cand["role"], target=cand["target"])  # fmt: skip
    speaker = meta.get("publisher")
    for cand in overlap_statements(text, mentions, category):
        fields = {k: cand[k] for k in ("concerns", "existing_structures", "overlap")}
        add("overlap", cand["start"], cand["end"], speaker=speaker, target=meta.get("about"), **fields)
    for number, item in enumerate(items, start=1):
        item["item"] = number
    document = {
        "id": doc_id,
        "kind": Kind.DOKUMENT.value,
        "name": meta.get("title") or extracted.title or doc_id,
        "file": file,
        "publisher": meta.get("publisher"),
        "date": extracted.date,
        "diarienummer": extracted.diarienummer,
    }
    return {
        "samverkan_review": REVIEW_VERSION,
        "document": {k: v for k, v in document.items() if v is not None},
        "items": [_ordered(i) for i in items],
    }


def _ordered(item: dict[str, Any]) -> dict[str, Any]:
    head = {"item": item["item"], "type": item["type"], "accept": item["accept"]}
    rest = {k: v for k, v in item.items() if k not in head and v is not None and v != []}
    return {**head, **rest}


def _kind_of(name: str) -> str | None:
    from .candidates import _head_kind

    words = name.split()
    kind = _head_kind(words[-1]) if words else None
    if kind is None and words:
        kind = _head_kind(words[0])
    return kind.value if kind else None


def _has_relation(registry: Registry, cand: dict[str, Any]) -> bool:
    entity = registry.get(cand["source"])
    return entity is not None and any(
        r.type == cand["relation"] and r.target == cand["target"] and getattr(r, "role", None) in (None, cand["role"])
        for r in entity.relations
    )


def ingest_document(
    root: Path,
    path: Path,
    output: Path,
    doc_id: str | None = None,
    publisher: str | None = None,
    about: str | None = None,
) -> IngestResult:
    """Read a document, keep its text in the registry's `sources/`, write the review file.

    Nothing is written when the document cannot be read, or when `sources/` already holds a
    different text under the same name.
    """
    registry = load_for_edit(root)
    extracted = read_document(path)
    doc_id = doc_id or slugify(Path(path).stem)
    for name, value in (("--publisher", publisher), ("--about", about)):
        if value is not None and value not in registry:
            raise RegistryError(f"{name}: okänt id {value!r}")
    if doc_id in registry and registry.entities[doc_id].category is not Category.DOCUMENT:
        raise RegistryError(f"{path}: id {doc_id!r} finns redan och är inget dokument; ange ett annat med --id")
    file = f"sources/{doc_id}.txt"
    text = extracted.text()
    text_path = root / file
    old = text_path.read_text(encoding="utf-8") if text_path.is_file() else None
    if old is not None and old != text:
        raise RegistryError(f"{path}: {file} finns redan med en annan text; ange ett annat id med --id")
    review = build_review(registry, extracted, doc_id, file, publisher=publisher, about=about)
    if old is None:
        write_changes(root, [FileChange(text_path, None, text)], f"ingest {path}")
    try:
        write_atomic(output, dump_yaml(review))
    except OSError:
        if old is None:  # no review, no text: nothing half done
            write_changes(root, [FileChange(text_path, text, None)], f"ingest {path} (tillbaka)")
        raise
    counts = {t: sum(1 for i in review["items"] if i["type"] == t) for t in _TYPES}
    return IngestResult(review, text_path, counts)


# ---- applying a review -------------------------------------------------------------------


class _Review:
    """A review file read with line numbers, for messages that point at the item."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            data, self.lines = load_yaml(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise RegistryError(f"{path}: granskningsfilen kan inte läsas: {exc}") from None
        except YamlProblem as exc:
            raise RegistryError(f"{path}:{exc.line}: {exc.message}") from None
        if not isinstance(data, dict) or not isinstance(data.get("document"), dict):
            raise RegistryError(f"{path}:1: ingen granskningsfil från samverkan ingest (fältet 'document' saknas)")
        items = data.get("items") or []
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise RegistryError(f"{path}:{self.lines.get(('items',), 1)}: 'items' ska vara en lista av poster")
        self.document: dict[str, Any] = data["document"]
        self.items: list[dict[str, Any]] = items

    def fail(self, index: int, message: str, field: str | None = None) -> RegistryError:
        loc = ("items", index, field) if field else ("items", index)
        line = self.lines.get(loc) or self.lines.get(("items", index), 1)
        number = self.items[index].get("item", index + 1)
        return RegistryError(f"{self.path}:{line}: post {number}: {message}")


def _accepted(review: _Review, index: int) -> bool:
    value = review.items[index].get("accept")
    if value in ("true", "True", "ja", "yes"):
        return True
    if value in ("false", "False", "nej", "no", None):
        return False
    raise review.fail(index, f"accept ska vara true eller false, inte {value!r}", "accept")


def apply_review(root: Path, path: Path) -> EditPlan:
    """The plan that writes the review's document and accepted items; refused as a whole if any
    accepted item is wrong, names an entity that no longer exists, or nothing is left to write."""
    review = _Review(path)
    session = EditSession(load_for_edit(root))
    doc = review.document
    doc_id = doc.get("id")
    if not doc_id:
        raise RegistryError(f"{path}:{review.lines.get(('document',), 1)}: document: id saknas")
    if not session.exists(doc_id):
        session.add_entity({k: v for k, v in doc.items() if k != "accept"}, [])
    for index, item in enumerate(review.items):
        if not _accepted(review, index):
            continue
        try:
            _apply_item(session, doc_id, item)
        except RegistryError as exc:
            raise review.fail(index, str(exc)) from None
    try:
        plan = session.plan()
    except RegistryError as exc:
        raise RegistryError(f"{path}: {exc}") from None
    if plan.is_empty:
        raise RegistryError(f"{path}: allt som är godkänt finns redan i registret; inget skrevs")
    return plan


def _evidence(session: EditSession, doc_id: str, item: dict[str, Any]) -> Any:
    quote = item.get("quote")
    if not quote:
        raise RegistryError("citat (quote) saknas")
    page = item.get("page")
    try:
        page_number = int(page) if page not in (None, "") else None
    except ValueError:
        raise RegistryError(f"sidan ska vara ett heltal, inte {page!r}") from None
    return session.evidence(doc_id, quote, page_number)


def _known(session: EditSession, entity_id: Any, what: str) -> str:
    if not entity_id:
        raise RegistryError(f"{what} saknas")
    if not session.exists(str(entity_id)):
        raise RegistryError(f"{what} {entity_id!r} finns inte (längre) i registret")
    return str(entity_id)


def _apply_item(session: EditSession, doc_id: str, item: dict[str, Any]) -> None:
    kind = item.get("type")
    evidence = _evidence(session, doc_id, item)
    if kind == "mention":
        session.add_evidence(_known(session, item.get("entity"), "entiteten"), evidence)
    elif kind == "entity":
        fields = {k: item.get(k) for k in ("id", "kind", "name", "short_name", "description", "status")}
        if not fields["kind"]:
            raise RegistryError("typ (kind) saknas: ange vad entiteten är")
        fields["id"] = fields["id"] or (slugify(str(fields["name"])) if fields["name"] else None)
        if fields["id"] and session.exists(str(fields["id"])):
            session.add_evidence(str(fields["id"]), evidence)
        else:
            session.add_entity(fields, [evidence])
    elif kind == "relation":
        source = _known(session, item.get("source"), "källan (source)")
        target = _known(session, item.get("target"), "målet (target)")
        relation: dict[str, Any] = {"type": item.get("relation")}
        if item.get("role"):
            relation["role"] = item["role"]
        session.add_relation(source, relation, target, evidence)
    elif kind == "overlap":
        speaker = _known(session, item.get("speaker"), "talaren (speaker)")
        target = _known(session, item.get("target"), "remissen eller beslutet (target)")
        concerns = [_known(session, c, "strukturen") for c in item.get("concerns") or []]
        position: dict[str, Any] = {
            "type": "position",
            "stance": Stance.VARNAR_FOR_OVERLAPP.value,
            "concerns": concerns,
            "overlap": item.get("overlap"),
            "existing_structures": item.get("existing_structures") in (True, "true", "True"),
        }
        if item.get("question"):
            position["question"] = str(item["question"])
        session.add_relation(speaker, position, target, evidence)
    else:
        raise RegistryError(f"okänd typ {kind!r}; välj bland: {', '.join(_TYPES)}")


def mention_scores(registry: Registry, doc_id: str) -> dict[str, Any]:
    """How well the mention finder reads a document the registry already cites.

    The registry is the answer key: the entities whose own evidence cites the document should be
    found. Recall is the share of those found; precision is the share of entities found that the
    key holds (a lower bound: an entity the document names but the registry does not cite it for
    counts against it).
    """
    from .extract import dehyphenate

    source = registry.source_text(doc_id)
    if source is None:
        raise RegistryError(f"{doc_id}: dokumentets text kan inte läsas")
    finder = MentionFinder((e.id, e.all_names()) for e in registry if e.category is not Category.DOCUMENT)
    found = {i for m in finder.find(dehyphenate(source.text)) for i in m.entity_ids}
    expected = {
        e.id for e in registry if e.category is not Category.DOCUMENT and any(ev.source == doc_id for ev in e.evidence)
    }
    hits = found & expected
    return {
        "document": doc_id,
        "expected": len(expected),
        "found": len(found),
        "hits": len(hits),
        "recall": len(hits) / len(expected) if expected else 1.0,
        "precision": len(hits) / len(found) if found else 1.0,
        "missed": sorted(expected - found),
        "extra": sorted(found - expected),
    }
