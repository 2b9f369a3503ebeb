"""Pages of the seed's quotes, checked by hand against each document's own page breaks.

Each expected page below was read off the text: the printed markers of the 2024 compilation
("12 (85)", "78 (85)", "85 (85)") and the breaks between them, the lone-space break line in
Miljönämndens answer (the only break its text shows), and the pages of the KF protocol, the
särskilt yttrande (bilaga 12) and stadskontoret's tjänsteskrivelse in the KF document.
"""

from __future__ import annotations

import pytest

from samverkan.registry.store import load_registry
from samverkan.seed import SEED_DIR

HAND_CHECKED = [
    # document, quote, owner section (None: the first occurrence), page
    # the text starts on printed page 3 (cover and contents are not in it): 8 breaks before "12 (85)"
    ("remissvar-lokal-utveckling-2024", "I utskickad remiss angående ”Uppdrag budget 2023", None, 3),
    (
        "remissvar-lokal-utveckling-2024",
        "relevanta indikatorer. I synnerhet avseende behov i tidiga insatser",
        None,
        12,
    ),
    (
        "remissvar-lokal-utveckling-2024",
        "Parkering Malmö arbetar just nu mycket med att utveckla sitt uppdrag",
        None,
        79,
    ),
    ("remissvar-lokal-utveckling-2024", "om verksamheten snabbt måste finnas. Lokalt förankrade medarbetare", None, 81),
    ("remissvar-lokal-utveckling-2024", "kommunen borde fundera på. Kanske är det helt enkelt så", None, 82),
    (
        "remissvar-lokal-utveckling-2024",
        "risk finns att respektive nämnd/bolag tittar allt för mycket på sin egen",
        None,
        84,
    ),
    ("remissvar-lokal-utveckling-2024", "Tabell över remissinstansernas syn på samordningsansvar", None, 85),
    (
        "miljonamnden-remissvar-2025",
        "Miljönämnden ser positivt på arbetet med kraftsamlande insatser, men saknar",
        None,
        1,
    ),
    ("miljonamnden-remissvar-2025", "barn och ungas livsmiljöer – exempelvis inom bostadsområden, skolor", None, 2),
    # the answer's text shows one page break only; what follows it is counted as page 2
    (
        "miljonamnden-remissvar-2025",
        "kraftsamlande insatser. Dessa insatser främjar barn och ungas uppväxtvillkor",
        None,
        2,
    ),
    (
        "kf-2026-01-22-par8-kraftsamlande-insatser",
        "samordningsansvaret för kraftsamlande insatser och även uppdraget",
        None,
        1,
    ),
    ("kf-2026-01-22-par8-kraftsamlande-insatser", "Moderaterna och Centerpartiet delar uppfattningen", None, 3),
    (
        "kf-2026-01-22-par8-kraftsamlande-insatser",
        "Nämnderna som besvarade remissen ställer sig generellt positiva",
        None,
        8,
    ),
    ("kf-2026-01-22-par8-kraftsamlande-insatser", "2023-137 §189) faller.", None, 10),
]


@pytest.fixture(scope="module")
def registry():
    return load_registry(SEED_DIR).registry


@pytest.mark.parametrize(("document", "quote", "owner", "page"), HAND_CHECKED)
def test_hand_checked_pages(registry, document, quote, owner, page):
    text = registry.source_text(document)
    assert text is not None
    owners = (owner,) if owner else ()
    assert text.page_of(quote, owners) == page


def test_the_2024_compilation_has_85_pages_and_its_last_markers_agree(registry):
    text = registry.source_text("remissvar-lokal-utveckling-2024")
    assert text.page_of_line(len(text.text.split("\n"))) == 85
    # between the printed "78 (85)" and "85 (85)" every page starts once: no page is counted twice
    pages = [text.page_of_line(n) for n in range(3143, 3428)]
    assert sorted(set(pages)) == list(range(78, 85))


def test_a_repeated_quote_is_placed_in_the_speakers_own_answer(registry):
    # the questions are repeated in every answer; each respondent's copy is on its own pages
    text = registry.source_text("remissvar-lokal-utveckling-2024")
    question = "Vilken nämnd eller bolag ser ni bör få den samordnande rollen"
    first = text.page_of(question)
    assert text.page_of(question, ("mkb",)) == 78
    parking = text.page_of(question, ("parkering-malmö",))
    assert first < parking == 80
    assert text.speaker_at(text.best_line(question, ("parkering-malmö",))) == "parkering-malmö"


def test_every_page_in_the_seed_is_where_its_quote_stands(registry):
    wrong = []
    for entity in registry:
        owned = [((entity.id,), ev) for ev in entity.evidence]
        owned += [((entity.id, rel.target), ev) for rel in entity.relations for ev in rel.evidence]
        for owners, ev in owned:
            text = registry.source_text(ev.source)
            if text is not None and ev.page != text.page_of(ev.quote, owners):
                wrong.append((entity.id, ev.quote[:40], ev.page, text.page_of(ev.quote, owners)))
    assert wrong == []
