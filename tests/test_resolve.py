"""Name resolution the way Swedish officials type names."""

from __future__ import annotations

import pytest

from samverkan.registry.errors import AmbiguousNameError, NotFoundError
from samverkan.registry.resolve import NameIndex

INDEX = NameIndex.build(
    [
        ("sbum", ["Samverkan barn och unga i Malmö", "SBUM", "Samverkan för Barn och Unga Malmö"]),
        ("örat-mot-marken", ["Örat mot marken"]),
        ("fritidsnämnden", ["Fritidsnämnden", "FRN"]),
        ("fritidsförvaltningen", ["Fritidsförvaltningen"]),
        ("hälsa-vård-och-omsorgsnämnden", ["Hälsa-, vård- och omsorgsnämnden", "HVON"]),
        ("polisen", ["Polismyndigheten", "Polisen"]),
        ("mn", ["Miljönämnden", "MN"]),
        ("mn-2", ["Malmö nätverk", "MN "]),
    ]
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sbum", "sbum"),  # the id
        ("SBUM", "sbum"),  # short name
        ("sbum", "sbum"),
        ("SBUM:s", "sbum"),  # genitive with colon
        ("Samverkan för barn och unga Malmö", "sbum"),  # alias, any case
        ("orat mot marken", "örat-mot-marken"),  # no Swedish keyboard
        ("ÖRAT MOT MARKEN", "örat-mot-marken"),
        ("Örat  mot\tmarken", "örat-mot-marken"),  # stray whitespace
        ("Fritidsnämndens", "fritidsnämnden"),  # genitive
        ("fritidsnamnden", "fritidsnämnden"),
        ("halsa vard och omsorgsnamnden", "hälsa-vård-och-omsorgsnämnden"),
        ("Hälsa-, vård- och omsorgsnämnden", "hälsa-vård-och-omsorgsnämnden"),
        ("polisens", "polisen"),
    ],
)
def test_resolves(query, expected):
    assert INDEX.resolve(query) == expected


def test_ambiguous_name_lists_every_candidate():
    with pytest.raises(AmbiguousNameError) as exc:
        INDEX.resolve("MN")
    assert exc.value.candidates == [("mn", "Miljönämnden"), ("mn-2", "Malmö nätverk")]
    assert str(exc.value) == "'MN' kan avse flera entiteter: mn (Miljönämnden); mn-2 (Malmö nätverk). Ange id."


def test_exact_id_wins_over_an_ambiguous_name():
    assert INDEX.resolve("mn-2") == "mn-2"


def test_unknown_name_suggests_the_closest():
    with pytest.raises(NotFoundError) as exc:
        INDEX.resolve("Fritidsnämden")
    assert exc.value.suggestions[0] == "Fritidsnämnden"
    assert "menade du: Fritidsnämnden" in str(exc.value)


def test_unknown_name_without_anything_close():
    with pytest.raises(NotFoundError) as exc:
        INDEX.resolve("xyzzy")
    assert exc.value.suggestions == []
    assert "menade du" not in str(exc.value)
