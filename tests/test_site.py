"""`samverkan site` without a browser: files, links, addresses, determinism and refusals."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from samverkan.graphs.presentation.site.urls import entity_path, page_name
from samverkan.graphs.presentation.site.words import terms
from samverkan.seed import SEED_DIR

from .conftest import MINI


class _Links(HTMLParser):
    """Every href and src of a page, and every id it defines."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            elif name == "id" and value:
                self.ids.add(value)


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(root: Path) -> list[str]:
    """Every internal link of every page whose file or fragment is not there."""
    parsed = {p: _parse(p) for p in root.rglob("*.html")}
    problems = []
    for page, links in parsed.items():
        for link in links.links:
            parts = urlsplit(link)
            if parts.scheme == "data":
                continue
            if parts.scheme or link.startswith("//"):
                problems.append(f"{page.relative_to(root)}: external {link}")
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file() or root.resolve() not in target.parents:
                problems.append(f"{page.relative_to(root)}: {link} (no file)")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in parsed[target].ids:
                problems.append(f"{page.relative_to(root)}: {link} (no #{parts.fragment})")
    return problems


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory):
    from click.testing import CliRunner

    from samverkan.cli.main import cli

    out = tmp_path_factory.mktemp("site") / "webbplats"
    result = CliRunner().invoke(cli, ["--registry", str(SEED_DIR), "site", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def test_page_names_are_ascii_stable_and_distinct():
    assert page_name("sbum") == "sbum"
    assert page_name("örat-mot-marken") == page_name("örat-mot-marken")
    assert page_name("örat-mot-marken").startswith("orat-mot-marken--")
    assert page_name("hallå") != page_name("hällå") != page_name("halla")
    assert all(page_name(i).isascii() for i in ("å", "ä", "ö", "é", "ü", "æ", "ø", "þ"))
    assert entity_path("region-skåne").startswith("e/region-skane--")


def test_swedish_terms_meet_across_inflections():
    assert terms("Fritidsnämndens") == terms("fritidsnämnden") == terms("fritidsnamnder") == ["fritidsnamnd"]
    assert terms("Örat mot marken") == terms("orat mot marken")
    assert terms("Polisens") == terms("polisen") == ["polis"]


def test_seed_site_has_every_page_and_no_broken_link(seed_site):
    entities = json.loads((seed_site / "entities.json").read_text(encoding="utf-8"))["entities"]
    assert len(entities) > 300
    assert all((seed_site / e["url"]).is_file() for e in entities)
    assert all(p.name.isascii() for p in seed_site.rglob("*"))
    for name in ("index.html", "sok.html", "rapport.html", "aktorer.html", "vyer/hela.html", "vyer/parallella.html"):
        assert (seed_site / name).is_file(), name
    assert any(p.name.startswith("omrade-rosengard--") for p in (seed_site / "vyer").iterdir())
    sitemap = (seed_site / "sitemap.txt").read_text(encoding="utf-8").split()
    assert "index.html" in sitemap and f"{entity_path('sbum')}" in sitemap
    assert broken_links(seed_site) == []


def test_entity_page_shows_a_lapsed_structure_beside_the_relation(seed_site):
    html = (seed_site / entity_path("stadskontoret")).read_text(encoding="utf-8")
    assert "strukturen avvecklad till 2026-01-22" in html
    assert "strukturen befintlig" not in html


def test_document_page_marks_every_cited_passage(seed_site):
    html = (seed_site / entity_path("remissvar-lokal-utveckling-2024")).read_text(encoding="utf-8")
    anchors = re.findall(r'id="c-(\d+)"', html)
    listed = re.findall(r'<li id="f-(\d+)"', html)
    assert len(anchors) > 100 and sorted(anchors, key=int) == sorted(listed, key=int)
    assert html.count("<mark") >= len(anchors)
    assert 'id="s-1"' in html and "Sida " in html


def test_consultation_page_has_matrix_and_coordinator_table(seed_site):
    html = (seed_site / entity_path("remiss-lokal-utveckling-2024")).read_text(encoding="utf-8")
    table = html[html.index('class="samordnare"') :]
    assert table.count("<tr>") == 16  # header and the 15 respondents of the 2024 table
    assert "Parkeringsövervakning i Malmö" in table
    # a joint proposal ('jointly') reads as one proposal of several actors, beside a single one
    assert "föreslår: MKB Fastighet AB, MKB Fastighet AB och Kommunstyrelsen (gemensamt)" in table
    assert 'class="matris"' in html


def test_site_is_deterministic_and_replaces_an_earlier_site(tmp_path, run):
    first, second = tmp_path / "a", tmp_path / "b"
    assert run("site", "-o", str(first)).exit_code == 0
    assert run("site", "-o", str(second)).exit_code == 0
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    (first / "gammal.html").write_text("x", encoding="utf-8")
    assert run("site", "-o", str(first)).exit_code == 0
    assert not (first / "gammal.html").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_site_refuses_a_folder_that_is_no_site(tmp_path, run):
    (tmp_path / "mitt.txt").write_text("viktigt", encoding="utf-8")
    result = run("site", "-o", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.startswith("Fel: ") and "inte tom" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["mitt.txt"]


BASE = "https://intranat.example/samverkan/"


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory):
    """The mini registry's site with --base-url, and what --json said of it."""
    from click.testing import CliRunner

    from samverkan.cli.main import cli

    out = tmp_path_factory.mktemp("mini-site") / "s"
    args = ["--registry", str(MINI), "site", "-o", str(out), "--base-url", BASE, "--json"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out, json.loads(result.output)


def test_site_json_and_base_url(mini_site, run):
    out, summary = mini_site
    assert summary["entities"] == len(list((out / "e").iterdir()))
    assert summary["files"] == len([p for p in out.rglob("*") if p.is_file()])
    assert summary["output"] == str(out) and summary["passages"] > 0
    lines = (out / "sitemap.txt").read_text(encoding="utf-8").splitlines()
    assert BASE + "index.html" in lines
    entities = json.loads((out / "entities.json").read_text(encoding="utf-8"))["entities"]
    skane = next(e for e in entities if e["id"] == "region-skåne")
    assert skane["url"] == BASE + entity_path("region-skåne")
    assert run("site", "-o", str(out.parent / "x"), "--base-url", "intranat").exit_code == 2


def test_hostile_name_is_escaped(mini_site):
    out, _ = mini_site
    page = (out / entity_path("föreningen-script")).read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "&lt;/script&gt;&lt;script&gt;alert(1)" in page
    index = (out / "assets" / "sok-index.js").read_text(encoding="utf-8")
    assert "</script>" not in index
    assert broken_links(out) == []


def test_site_is_never_written_in_or_around_the_registry(tmp_path, run, mini_copy):
    for inside in (mini_copy, mini_copy / "webbplats", mini_copy.parent):
        result = run("site", "-o", str(inside), registry=mini_copy)
        assert result.exit_code == 1 and "registret" in result.output, inside
    assert not (mini_copy / "webbplats").exists()
    assert (mini_copy / "structures" / "sbum.yaml").is_file()


def test_site_that_cannot_be_written_is_one_line(tmp_path, run):
    (tmp_path / "fil").write_text("x", encoding="utf-8")
    result = run("site", "-o", str(tmp_path / "fil" / "webbplats"))
    assert result.exit_code == 1
    assert result.output.startswith("Fel: kan inte skriva webbplatsen") and result.output.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fil"]


def test_site_of_a_broken_registry_writes_nothing(tmp_path, run):
    from .conftest import BROKEN

    out = tmp_path / "s"
    result = run("site", "-o", str(out), registry=BROKEN / "bad-date")
    assert result.exit_code == 1 and result.output.startswith("Fel: ")
    assert not out.exists()


def test_filters_leave_proposed_structures_out(tmp_path, run, mini_site):
    everything, existing = mini_site[0], tmp_path / "befintliga"
    assert run("site", "-o", str(existing), "--exclude-proposed", "--as-of", "2025-01-01").exit_code == 0
    listed = {e["id"]: e for e in json.loads((everything / "entities.json").read_text(encoding="utf-8"))["entities"]}
    kept = {e["id"] for e in json.loads((existing / "entities.json").read_text(encoding="utf-8"))["entities"]}
    proposed = {i for i, e in listed.items() if e["status"] == "föreslagen"}
    assert proposed and not proposed & kept
    assert "Utan föreslagna strukturer." in (existing / "index.html").read_text(encoding="utf-8")


def test_start_page_lists_the_latest_changes_of_a_registry_in_git(tmp_path, run, mini_copy):
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
            cwd=mini_copy,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "Första versionen")
    sbum = mini_copy / "structures" / "sbum.yaml"
    sbum.write_text(sbum.read_text(encoding="utf-8").replace("Samverkan barn", "Samverkan  barn"), encoding="utf-8")
    git("commit", "-qam", "SBUM: namnet rättat")
    out = tmp_path / "s"
    assert run("site", "-o", str(out), registry=mini_copy).exit_code == 0
    start = (out / "index.html").read_text(encoding="utf-8")
    changes = start[start.index('id="andringar"') :]
    assert changes.index("SBUM: namnet rättat") < changes.index("Första versionen")
    assert f'href="{entity_path("sbum")}"' in changes
