"""The site of the Malmö registry in a real headless Chromium, opened from disk (and once from a
web server): offline, no console error, search, evidence that lands on its quote, accessibility."""

from __future__ import annotations

import functools
import http.server
import threading
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from samverkan.graphs.presentation.site.urls import entity_path
from samverkan.graphs.presentation.site.words import terms
from samverkan.seed import SEED_DIR

from .browser import console_errors, requested_urls, screenshot

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from click.testing import CliRunner

    from samverkan.cli.main import cli

    out = tmp_path_factory.mktemp("site") / "webbplats"
    result = CliRunner().invoke(cli, ["--registry", str(SEED_DIR), "site", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def visit(driver, url: str) -> None:
    requested_urls(driver)  # forget what earlier pages asked for
    driver.get_log("browser")
    driver.get(url)
    deadline = time.monotonic() + 20
    while driver.execute_script("return document.readyState") != "complete" and time.monotonic() < deadline:
        time.sleep(0.05)


def page_url(site: Path, page: str) -> str:
    path, _, query = page.partition("?")
    return (site / path).resolve().as_uri() + (f"?{query}" if query else "")


def outside(driver, site: Path) -> list[str]:
    prefix = site.resolve().as_uri() + "/"
    return [u for u in requested_urls(driver) if not u.startswith((prefix, "data:", "about:"))]


def wait_for(driver, script: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"not true within {timeout} s: {script}")


PAGES = {
    "site-start": "index.html",
    "site-entity": entity_path("sbum"),
    "site-entity-å": entity_path("örat-mot-marken"),
    "site-document": entity_path("remissvar-lokal-utveckling-2024"),
    "site-consultation": entity_path("remiss-lokal-utveckling-2024"),
    "site-search": "sok.html?q=Fritidsn%C3%A4mndens",
    "site-list": "strukturer.html",
    "site-view": "vyer/parallella.html",
    "site-report": "rapport.html",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_opens_offline_without_errors(browser, site, name):
    visit(browser, page_url(site, PAGES[name]))
    if name in ("site-entity", "site-entity-å"):
        wait_for(browser, "return document.body.getAttribute('data-ego-ready')")
    if name in ("site-view", "site-report"):
        wait_for(browser, "return window.samverkan && window.samverkan.ready")
    assert browser.find_element(By.TAG_NAME, "h1").text
    assert console_errors(browser) == []
    assert outside(browser, site) == []
    screenshot(browser, name)


def test_search_finds_an_inflected_form_and_a_word_in_a_quote(browser, site):
    visit(browser, (site / "sok.html").resolve().as_uri())
    box = browser.find_element(By.ID, "sok")
    box.send_keys("Fritidsnämndens")
    first = browser.find_element(By.CSS_SELECTOR, "#traffar li a")
    assert first.text == "Fritidsnämnden"
    assert "träff" in browser.find_element(By.ID, "sok-status").text
    box.clear()
    box.send_keys("linjerar")  # only in Arbetsmarknads- och socialnämndens answer of 2024
    hits = browser.find_elements(By.CSS_SELECTOR, "#traffar li")
    assert hits and all("citat" in h.text for h in hits)
    assert "linjerar" in hits[0].text
    screenshot(browser, "site-search-quote")
    hits[0].find_element(By.TAG_NAME, "a").click()
    wait_for(browser, "return location.hash.indexOf('#c-') === 0")
    assert "linjerar" in " ".join(m.text for m in browser.find_elements(By.CSS_SELECTOR, "mark.aktuell"))
    assert console_errors(browser) == []
    assert outside(browser, site) == []


def test_browser_and_index_stem_alike(browser, site):
    visit(browser, (site / "sok.html").resolve().as_uri())
    words = (
        "Fritidsnämndens förvaltningarna Örat SBUM:s polisens strukturerna möjligheterna ungdomarnas"
        " kommunstyrelsens samordningsansvaret lokala områdesprogrammet fullt löst vänligt kraftsamlande"
    )
    assert browser.execute_script("return samverkanSok.terms(arguments[0]);", words) == terms(words)


def test_entity_page_evidence_lands_on_the_highlighted_quote(browser, site):
    visit(browser, (site / entity_path("sbum")).resolve().as_uri())
    assert browser.find_element(By.ID, "uppgifter").find_elements(By.TAG_NAME, "blockquote")
    relations = browser.find_element(By.ID, "relationer")
    assert "Har deltagare" in relations.text
    link = browser.find_element(By.CSS_SELECTOR, "#uppgifter a.till-citat")
    quote = browser.find_element(By.CSS_SELECTOR, "#uppgifter blockquote").text
    link.click()
    wait_for(browser, "return location.hash.indexOf('#c-') === 0")
    marked = "".join(m.text for m in browser.find_elements(By.CSS_SELECTOR, "mark.aktuell"))
    assert "".join(marked.split()) == "".join(quote.split())  # the marks hold the quote, all of it
    top = browser.execute_script(
        "var r = document.querySelector('mark.aktuell').getBoundingClientRect(); return [r.top, window.innerHeight];"
    )
    assert 0 <= top[0] < top[1]
    screenshot(browser, "site-landed-on-quote")
    # and back: the passage lists the fact that cites it, which leads to the entity's page
    number = browser.execute_script("return location.hash.slice(3);")
    cites = browser.find_element(By.ID, f"f-{number}").text
    assert "Samverkan barn och unga i Malmö" in cites


def test_keyboard_skip_link_and_search_form(browser, site):
    visit(browser, (site / "index.html").resolve().as_uri())
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    active = browser.switch_to.active_element
    assert active.text == "Hoppa till innehållet"
    active.send_keys(Keys.ENTER)
    assert browser.execute_script("return document.activeElement.id") == "innehall"
    field = browser.find_element(By.ID, "sok-falt")
    field.send_keys("orat mot marken", Keys.ENTER)
    wait_for(browser, "return document.querySelectorAll('#traffar li').length > 0")
    assert browser.find_element(By.CSS_SELECTOR, "#traffar li a").text == "Örat mot marken"


def test_readable_on_a_phone(browser, site):
    browser.set_window_size(390, 844)
    try:
        for name, page in (("site-phone-start", "index.html"), ("site-phone-entity", entity_path("sbum"))):
            visit(browser, (site / page).resolve().as_uri())
            wide = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            assert wide <= 1, f"{page} scrolls sideways by {wide} px"
            screenshot(browser, name)
    finally:
        browser.set_window_size(1400, 1000)


def test_printable_without_menus(browser, site):
    visit(browser, (site / entity_path("sbum")).resolve().as_uri())
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        hidden = browser.execute_script(
            "return ['.sidhuvud nav', 'form.sok', '#ego'].map(function (s) {"
            "  return getComputedStyle(document.querySelector(s)).display; });"
        )
        assert hidden == ["none", "none", "none"]
        assert browser.find_element(By.ID, "relationer").is_displayed()
        pdf = browser.execute_cdp_cmd("Page.printToPDF", {})["data"]
        assert len(pdf) > 10_000
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


@pytest.mark.parametrize("name", ["site-start", "site-entity", "site-document", "site-consultation", "site-search"])
def test_no_serious_accessibility_violation(browser, site, name):
    visit(browser, page_url(site, PAGES[name]))
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    browser.set_script_timeout(120)
    result = browser.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(function (r) { done(r.violations.map(function (v) {"
        "  return {id: v.id, impact: v.impact, nodes: v.nodes.length, target: v.nodes[0].target.join(' ')}; })); },"
        "  function (e) { done([{id: 'axe-error', impact: 'critical', nodes: 0, target: String(e)}]); });"
    )
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert serious == []


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def test_ids_with_swedish_letters_work_from_a_web_server(browser, site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        visit(browser, base + "strukturer.html")
        browser.find_element(By.LINK_TEXT, "Örat mot marken").click()
        wait_for(browser, "return document.readyState === 'complete'")
        assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Örat mot marken")
        assert browser.current_url == base + entity_path("örat-mot-marken")
        assert console_errors(browser) == []
    finally:
        server.shutdown()
        server.server_close()
