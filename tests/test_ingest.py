"""ingest and apply: reading documents, finding mentions and candidates, the review round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from samverkan.registry.candidates import acronym_definitions, named_bodies, overlap_statements, relation_candidates
from samverkan.registry.extract import read_document
from samverkan.registry.ingest import mention_scores
from samverkan.registry.mentions import MentionFinder
from samverkan.registry.store import load_registry
from samverkan.registry.validate import validate_path
from samverkan.registry.yamlio import dump_entity
from samverkan.seed import SEED_DIR

NAMES = [
    ("sbum", ["Samverkan barn och unga i Malmö", "SBUM"]),
    ("ctc", ["Communities That Care", "CTC"]),
    ("frn", ["Fritidsnämnden"]),
    ("polisen", ["Polismyndigheten", "Polisen"]),
    ("civil", ["Civilsamhället"]),
    ("malmö", ["Malmö"]),
    ("plattform", ["Strategisk samverkansplattform", "samverkansplattformen"]),
]
CATEGORY = {"sbum": "structure", "ctc": "structure", "plattform": "structure", "frn": "actor", "polisen": "actor"}


def found(text: str) -> list[tuple[str, str]]:
    return [(m.entity_ids[0], m.surface) for m in MentionFinder(NAMES).find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SBUM:s möte", [("sbum", "SBUM")]),
        ("inom CTC-arbetet", [("ctc", "CTC")]),
        ("Fritidsnämndens svar", [("frn", "Fritidsnämndens")]),
        ("polisens och civilsamhällets roll", [("polisen", "polisens"), ("civil", "civilsamhällets")]),
        ("Samverkan för barn", []),
        ("i Malmös stadsdelar", [("malmö", "Malmös")]),
        ("samverkan barn och unga i malmö", [("sbum", "samverkan barn och unga i malmö"), ("malmö", "malmö")]),
    ],
)
def test_mentions_with_swedish_inflection(text, expected):
    assert found(text) == expected


def test_an_ambiguous_name_lists_every_entity():
    finder = MentionFinder([("a", ["Trygghetsrådet"]), ("b", ["Trygghetsrådet"])])
    assert [m.entity_ids for m in finder.find("Trygghetsrådets möte")] == [["a", "b"]]


def test_hyphenation_across_a_line_break_is_joined(tmp_path):
    path = tmp_path / "brev.txt"
    path.write_text("Vi skriver till Fritids-\nnämnden och Arbetsmarknads-\noch socialnämnden.\n", "utf-8")
    text = read_document(path).text()
    assert "Fritidsnämnden" in text and "Arbetsmarknads-\noch" in text
    assert found(text) == [("frn", "Fritidsnämnden")]


def test_acronym_definitions_and_named_bodies():
    text = "Staden leder numera Trygga Möllans nätverk och Lokala brottsförebyggande rådet (LBR) i Malmö."
    assert [(c["name"], c["short_name"]) for c in acronym_definitions(text)] == [
        ("Lokala brottsförebyggande rådet", "LBR")
    ]
    assert [(c["name"], c["kind"]) for c in named_bodies(text)] == [("Trygga Möllans nätverk", "nätverk")]
    assert named_bodies("Nämnden deltar i målgruppens råd.\nRådet möts.") == []


def test_relation_and_overlap_candidates():
    text = (
        "Polisen deltar i SBUM. Fritidsnämnden varnar för parallella strukturer mellan SBUM och samverkansplattformen."
    )
    mentions = MentionFinder(NAMES).find(text)
    relations = relation_candidates(text, mentions, CATEGORY)
    assert [(r["source"], r["relation"], r["role"], r["target"]) for r in relations] == [
        ("polisen", "participates_in", "deltar", "sbum")
    ]
    overlaps = overlap_statements(text, mentions, CATEGORY)
    assert [(o["concerns"], o["overlap"]) for o in overlaps] == [(["plattform", "sbum"], "parallella_strukturer")]


@pytest.mark.parametrize("doc_id", sorted(p.stem for p in (SEED_DIR / "documents").glob("*.yaml")))
def test_mention_recall_on_the_seed_documents(doc_id):
    """The registry is the answer key: at least 90 % of the entities citing a document are found."""
    scores = mention_scores(load_registry(SEED_DIR).registry, doc_id)
    assert scores["expected"] > 10
    assert scores["recall"] >= 0.9, scores["missed"]


# ---- documents ---------------------------------------------------------------------------

PAGES = [
    "Protokoll för Fritidsnämnden\nDnr FRN-2026-117\nMalmö den 12 mars 2026",
    "Fritidsnämnden leder Örat mot marken och deltar i Samverkan barn och unga i Malmö (SBUM).",
    "Polisen deltar i Trygga Rosengårds nätverk sedan 2025.",
]


def make_pdf(path: Path, pages: list[str], first_label: int | None = None, text: bool = True) -> Path:
    """A real PDF, one page per string, optionally with printed page numbers from `first_label`."""
    from pypdf import PdfWriter
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path))
    for body in pages:
        if text:
            for n, line in enumerate(body.splitlines()):
                canvas.drawString(72, 760 - 16 * n, line)
        else:
            canvas.rect(72, 600, 200, 100, fill=1)
        canvas.showPage()
    canvas.save()
    if first_label is not None:
        writer = PdfWriter(clone_from=str(path))
        writer.set_page_label(0, len(pages) - 1, style="/D", start=first_label)
        writer.write(str(path))
    return path


def test_pdf_pages_carry_their_printed_numbers(tmp_path):
    doc = read_document(make_pdf(tmp_path / "p.pdf", PAGES, first_label=11))
    assert [n for n, _ in doc.pages] == [11, 12, 13]
    assert (doc.date, doc.diarienummer) == ("2026-03-12", "FRN-2026-117")
    plain = read_document(make_pdf(tmp_path / "q.pdf", PAGES))
    assert [n for n, _ in plain.pages] == [1, 2, 3]


def test_ingest_a_pdf_then_apply_the_review(run, mini_copy, tmp_path):
    pdf = make_pdf(tmp_path / "protokoll-2026.pdf", PAGES, first_label=11)
    review = tmp_path / "granskning.yaml"
    result = run("ingest", str(pdf), "--publisher", "fritidsnämnden", "-o", str(review), registry=mini_copy)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{review}: ")
    assert (mini_copy / "sources" / "protokoll-2026.txt").is_file()
    data = yaml.safe_load(review.read_text("utf-8"))
    assert data["document"] == {
        "id": "protokoll-2026",
        "kind": "dokument",
        "name": "Protokoll för Fritidsnämnden",
        "file": "sources/protokoll-2026.txt",
        "publisher": "fritidsnämnden",
        "date": "2026-03-12",
        "diarienummer": "FRN-2026-117",
    }
    items = {(i["type"], i.get("entity") or i.get("name") or i.get("source")): i for i in data["items"]}
    assert all(i["accept"] is False for i in data["items"])
    assert not [i["quote"] for i in data["items"] if i["quote"][0].isdigit()]  # no page marker in a quote
    assert items[("mention", "polisen")]["page"] == 13
    assert items[("mention", "sbum")]["page"] == 12
    new = items[("entity", "Trygga Rosengårds nätverk")]
    assert (new["kind"], new["page"]) == ("nätverk", 13)
    relations = [(i["source"], i["role"], i["target"], i["page"]) for i in data["items"] if i["type"] == "relation"]
    assert ("fritidsnämnden", "leder", "örat-mot-marken", 12) in relations

    for item in data["items"]:
        if item["type"] in ("mention", "entity", "relation"):
            item["accept"] = True
    review.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    applied = run("apply", str(review), "--json", registry=mini_copy)
    assert applied.exit_code == 0, applied.output
    summary = json.loads(applied.stdout)
    assert "documents/protokoll-2026.yaml" in summary["files"]
    assert "structures/trygga-rosengårds-nätverk.yaml" in summary["files"]
    registry, problems = validate_path(mini_copy)
    assert problems == []
    assert any(ev.source == "protokoll-2026" and ev.page == 13 for ev in registry.get("polisen").evidence)
    led = [r for r in registry.get("fritidsnämnden").relations if r.target == "örat-mot-marken"]
    assert [(r.role.value, r.evidence[0].page) for r in led] == [("leder", 12)]
    for entity in registry:
        assert (mini_copy / registry.paths[entity.id]).read_text("utf-8") == dump_entity(entity)

    before = {p: p.read_bytes() for p in mini_copy.rglob("*") if p.is_file()}
    again = run("apply", str(review), registry=mini_copy)
    assert again.exit_code == 1
    assert again.stderr == f"Fel: {review}: allt som är godkänt finns redan i registret; inget skrevs\n"
    assert {p: p.read_bytes() for p in mini_copy.rglob("*") if p.is_file()} == before


def test_docx_pages_from_page_breaks(tmp_path):
    from docx import Document
    from docx.enum.text import WD_BREAK

    document = Document()
    document.add_paragraph("Remissvar från Fritidsnämnden")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("Polisen deltar i SBUM.")
    document.save(tmp_path / "svar.docx")
    doc = read_document(tmp_path / "svar.docx")
    assert [n for n, _ in doc.pages] == [1, 2]
    assert "Polisen deltar i SBUM." in doc.pages[1][1]


def test_text_with_form_feeds_and_page_markers(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("Första sidan\fAndra sidan\fTredje sidan", "utf-8")
    assert [n for n, _ in read_document(path).pages] == [1, 2, 3]


def _broken_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    from pypdf import PdfWriter

    scanned = make_pdf(tmp_path / "skannad.pdf", PAGES, text=False)
    encrypted = make_pdf(tmp_path / "krypterad.pdf", PAGES)
    writer = PdfWriter(clone_from=str(encrypted))
    writer.encrypt("hemligt")
    writer.write(str(encrypted))
    damaged = tmp_path / "skadad.pdf"
    damaged.write_bytes(make_pdf(tmp_path / "hel.pdf", PAGES).read_bytes()[:300])
    fake = tmp_path / "inte.docx"
    fake.write_text("det här är ingen Word-fil", "utf-8")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Fritidsnämnden i Malmö".encode("latin-1"))
    return {
        "scanned": (scanned, "inget textlager"),
        "encrypted": (encrypted, "krypterad"),
        "damaged": (damaged, "skadad"),
        "docx": (fake, "inget Word-dokument"),
        "encoding": (latin, "inte UTF-8"),
    }


@pytest.mark.parametrize("case", ["scanned", "encrypted", "damaged", "docx", "encoding"])
def test_unreadable_documents_are_one_line_and_write_nothing(run, mini_copy, tmp_path, case):
    path, message = _broken_inputs(tmp_path)[case]
    review = tmp_path / "granskning.yaml"
    before = sorted(p.name for p in mini_copy.rglob("*"))
    result = run("ingest", str(path), "-o", str(review), registry=mini_copy)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Fel: {path}: ") and result.stderr.count("\n") == 1
    assert message in result.stderr
    assert not review.exists()
    assert sorted(p.name for p in mini_copy.rglob("*")) == before


@pytest.fixture
def review_file(run, mini_copy, tmp_path):
    text = tmp_path / "nytt.txt"
    text.write_text("Polisen deltar i SBUM.\fFritidsnämnden leder Örat mot marken.\n", "utf-8")
    review = tmp_path / "granskning.yaml"
    assert run("ingest", str(text), "-o", str(review), registry=mini_copy).exit_code == 0
    return review


def _accept_all(review: Path) -> dict:
    data = yaml.safe_load(review.read_text("utf-8"))
    for item in data["items"]:
        item["accept"] = True
    review.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return data


def test_invalid_review_yaml_is_one_line(run, mini_copy, review_file):
    review_file.write_text("document:\n  id: x\nitems: [\n", "utf-8")
    result = run("apply", str(review_file), registry=mini_copy)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Fel: {review_file}:") and "ogiltig YAML" in result.stderr


def test_review_naming_a_vanished_entity_names_the_item_and_writes_nothing(run, mini_copy, review_file):
    data = _accept_all(review_file)
    polisen = next(i for i in data["items"] if i.get("entity") == "polisen")
    (mini_copy / "actors" / "polisen.yaml").unlink()
    before = {p: p.read_bytes() for p in mini_copy.rglob("*") if p.is_file()}
    result = run("apply", str(review_file), registry=mini_copy)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr == (
        f"Fel: {review_file}:8: post {polisen['item']}: entiteten 'polisen' finns inte (längre) i registret\n"
    )
    assert {p: p.read_bytes() for p in mini_copy.rglob("*") if p.is_file()} == before


def test_a_wrong_accepted_quote_refuses_the_whole_review(run, mini_copy, review_file):
    data = _accept_all(review_file)
    data["items"][-1]["quote"] = "står inte i dokumentet"
    review_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    before = {p: p.read_bytes() for p in mini_copy.rglob("*") if p.is_file()}
    result = run("apply", str(review_file), registry=mini_copy)
    assert result.exit_code == 1
    assert "citatet finns inte" in result.stderr and "inget skrevs" in result.stderr
    assert {p: p.read_bytes() for p in mini_copy.rglob("*") if p.is_file()} == before


def test_an_accepted_overlap_statement_becomes_a_position(run, mini_copy, tmp_path):
    text = tmp_path / "yttrande.txt"
    text.write_text(
        "Yttrande från Fritidsnämnden\n\nNämnden ser en risk för dubbelarbete mellan SBUM och Örat mot marken.\n",
        "utf-8",
    )
    review = tmp_path / "granskning.yaml"
    result = run(
        "ingest", str(text), "--publisher", "fritidsnämnden", "--about", "remiss-2024", "-o", str(review), "--json",
        registry=mini_copy,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == yaml.safe_load(review.read_text("utf-8"))
    overlap = next(i for i in data["items"] if i["type"] == "overlap")
    assert {k: overlap[k] for k in ("speaker", "target", "concerns", "overlap", "page")} == {
        "speaker": "fritidsnämnden",
        "target": "remiss-2024",
        "concerns": ["sbum", "örat-mot-marken"],
        "overlap": "parallella_strukturer",
        "page": 1,
    }
    overlap["accept"] = True
    review.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    applied = run("apply", str(review), registry=mini_copy)
    assert applied.exit_code == 0, applied.output
    registry, problems = validate_path(mini_copy)
    assert problems == []
    positions = [
        r
        for r in registry.get("fritidsnämnden").relations
        if r.type == "position" and r.stance.value == "varnar_för_överlapp" and "örat-mot-marken" in r.concerns
    ]
    assert [(p.target, p.overlap.value, p.evidence[0].source) for p in positions] == [
        ("remiss-2024", "parallella_strukturer", "yttrande")
    ]


def test_a_review_that_cannot_be_written_leaves_no_text_behind(run, mini_copy, tmp_path, monkeypatch):
    from samverkan.registry import ingest

    def full_disk(path, text):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ingest, "write_atomic", full_disk)
    text = tmp_path / "nytt.txt"
    text.write_text("Polisen deltar i SBUM.\n", "utf-8")
    review = tmp_path / "granskning.yaml"
    result = run("ingest", str(text), "-o", str(review), registry=mini_copy)
    assert result.exit_code == 1
    assert result.stderr == f"Fel: {review}: kan inte skrivas, inget ändrades: No space left on device\n"
    assert not (mini_copy / "sources" / "nytt.txt").exists()


def test_the_review_never_lands_in_the_registry_nor_over_a_foreign_file(run, mini_copy, tmp_path):
    text = tmp_path / "nytt.txt"
    text.write_text("Polisen deltar i SBUM.\n", "utf-8")
    inside = run("ingest", str(text), "-o", str(mini_copy / "actors" / "polisen.yaml"), registry=mini_copy)
    assert inside.exit_code == 1 and "ligger i registret" in inside.stderr
    foreign = tmp_path / "anteckningar.yaml"
    foreign.write_text("mina anteckningar\n", "utf-8")
    refused = run("ingest", str(text), "-o", str(foreign), registry=mini_copy)
    assert refused.exit_code == 1 and "--force" in refused.stderr
    assert foreign.read_text("utf-8") == "mina anteckningar\n"
    assert not (mini_copy / "sources" / "nytt.txt").exists()
    review = tmp_path / "granskning.yaml"
    assert run("ingest", str(text), "-o", str(review), registry=mini_copy).exit_code == 0
    assert run("ingest", str(text), "-o", str(review), registry=mini_copy).exit_code == 0  # a review is replaced
