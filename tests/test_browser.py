"""The generated pages in a real headless Chromium: drawn, offline, escaped, interactive."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from samverkan.seed import SEED_DIR

from .browser import console_errors, requested_urls, screenshot
from .conftest import MINI

pytestmark = pytest.mark.browser  # a real headless Chromium


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    from click.testing import CliRunner

    from samverkan.cli.main import cli

    out = tmp_path_factory.mktemp("pages")
    runner = CliRunner()
    jobs = {
        "seed-full": ["--registry", str(SEED_DIR), "render", "full", "--include-proposed"],
        "seed-ego": ["--registry", str(SEED_DIR), "render", "ego", "--focus", "SBUM", "--depth", "2"],
        "seed-bipartite": ["--registry", str(SEED_DIR), "render", "bipartite"],
        "seed-overlaps": ["--registry", str(SEED_DIR), "render", "overlaps", "--include-proposed"],
        "seed-area": [
            "--registry",
            str(SEED_DIR),
            "render",
            "area",
            "--area",
            "Rosengård",
            "--include-proposed",
        ],
        "mini-full": ["--registry", str(MINI), "render", "full", "--include-proposed"],
        "seed-report": ["--registry", str(SEED_DIR), "report"],
    }
    paths = {}
    for name, args in jobs.items():
        path = out / f"{name}.html"
        result = runner.invoke(cli, [*args, "-o", str(path)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        paths[name] = path
    return paths


def open_page(driver, path: Path, timeout: float = 30.0) -> None:
    requested_urls(driver)  # forget earlier pages' requests
    driver.get_log("browser")
    driver.get(path.resolve().as_uri())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if driver.execute_script("return !!(window.samverkan && window.samverkan.ready)"):
            return
        time.sleep(0.1)
    raise AssertionError(f"{path.name}: the network was not drawn within {timeout} s")


def counts(driver) -> tuple[int, int]:
    return tuple(driver.execute_script("var d = samverkan.network.body.data; return [d.nodes.length, d.edges.length];"))


def expected_counts(path: Path) -> tuple[int, int]:
    """What the page says it contains (its header line), to compare with what vis drew."""
    import json
    import re

    html = path.read_text(encoding="utf-8")
    data = re.search(r'id="samverkan-data">(.*?)</script>', html, re.S).group(1)
    parsed = json.loads(data)
    return len(parsed["nodes"]), len(parsed["edges"])


@pytest.mark.parametrize("name", ["seed-full", "seed-ego", "seed-bipartite", "seed-overlaps", "seed-area"])
def test_view_is_drawn_offline_without_errors(browser, pages, name):
    open_page(browser, pages[name])
    screenshot(browser, name)
    assert counts(browser) == expected_counts(pages[name])
    assert counts(browser)[0] > 5
    assert console_errors(browser) == []
    outside = [u for u in requested_urls(browser) if not u.startswith(("file://", "data:", "about:"))]
    assert outside == []


def test_clicking_a_node_shows_its_tooltip_text(browser, pages):
    open_page(browser, pages["seed-ego"])
    pos = browser.execute_script(
        "var p = samverkan.network.getPositions(['sbum']).sbum; return samverkan.network.canvasToDOM(p);"
    )
    canvas = browser.find_element(By.CSS_SELECTOR, "#network canvas")
    size = canvas.size
    ActionChains(browser).move_to_element_with_offset(
        canvas, int(pos["x"] - size["width"] / 2), int(pos["y"] - size["height"] / 2)
    ).click().perform()
    details = browser.find_element(By.ID, "details").text
    assert details.startswith("Samverkan barn och unga i Malmö")
    assert "Typ: samverkansforum" in details and "Källor:" in details
    screenshot(browser, "seed-ego-selected")


def test_search_box_finds_swedish_names_without_diacritics(browser, pages):
    open_page(browser, pages["seed-full"])
    box = browser.find_element(By.ID, "search")
    box.send_keys("orat mot marken")
    assert browser.find_element(By.ID, "search-status").text.endswith("träffar")
    assert browser.find_element(By.ID, "details").text.startswith("Örat mot marken")
    assert "örat-mot-marken" in browser.execute_script("return samverkan.network.getSelectedNodes();")


def test_kind_filter_hides_nodes(browser, pages):
    open_page(browser, pages["seed-full"])
    box = browser.find_element(By.CSS_SELECTOR, "input[data-group='kommunal']")
    box.click()
    hidden = browser.execute_script("return samverkan.nodes.get({filter: function (n) { return n.hidden; }}).length")
    expected = browser.execute_script(
        "return samverkan.nodes.get({filter: function (n) { return n.group === 'kommunal'; }}).length"
    )
    assert hidden == expected > 0
    box.click()
    assert browser.execute_script("return samverkan.nodes.get({filter: function (n) { return n.hidden; }}).length") == 0


def test_hostile_name_renders_as_text(browser, pages):
    open_page(browser, pages["mini-full"])
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - touching it is the check
    assert len(browser.find_elements(By.TAG_NAME, "script")) == 3
    browser.execute_script("samverkan.show('föreningen-script')")
    details = browser.find_element(By.ID, "details").text
    assert details.startswith("Föreningen </script><script>alert(1)</script>")
    assert console_errors(browser) == []
    screenshot(browser, "mini-hostile-name")


def test_report_sections_tables_and_network(browser, pages):
    open_page(browser, pages["seed-report"])
    for section in ("innehall", "parallella", "luckor", "remissvar", "mandat", "natverket"):
        assert browser.find_element(By.ID, section).is_displayed()
    assert len(browser.find_elements(By.CSS_SELECTOR, "#counts tbody tr")) == 8
    coordinators = browser.find_elements(By.CSS_SELECTOR, "table.coordinators tbody tr")
    assert len(coordinators) == 15
    assert any("Parkeringsövervakning i Malmö" in row.text and "Kommunstyrelsen" in row.text for row in coordinators)
    assert "Communities that Care" in browser.find_element(By.ID, "parallella").text
    assert "2024-09-26" in browser.find_element(By.ID, "timeline").text
    assert counts(browser)[0] > 10
    assert console_errors(browser) == []
    assert [u for u in requested_urls(browser) if not u.startswith(("file://", "data:", "about:"))] == []
    screenshot(browser, "seed-report")


def test_report_pdf(tmp_path, run):
    from samverkan.graphs.presentation.pdf import chromium_path

    if chromium_path() is None:
        pytest.skip("Chromium is not installed")
    out = tmp_path / "rapport.pdf"
    result = run("report", "--pdf", "-o", str(out), registry=SEED_DIR)
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
