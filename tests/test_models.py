"""The model's rules: ids, kinds per category, dates, relation fields and uniqueness."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from samverkan.registry.dates import parse_partial_date
from samverkan.registry.models import Actor, Participation, Position, validate_entity

EV = [{"source": "doc", "quote": "citat"}]


def entity(**fields):
    return validate_entity({"id": "x", "kind": "nämnd", "name": "X", "evidence": EV, **fields})


def messages(exc: ValidationError) -> list[str]:
    return [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]


@pytest.mark.parametrize("good", ["sbum", "örat-mot-marken", "kf-2026-01-22-8", "a1"])
def test_valid_ids(good):
    assert entity(id=good).id == good


@pytest.mark.parametrize("bad", ["SBUM", "örat mot marken", "-x", "x--y", "x-", "a_b"])
def test_invalid_ids_are_rejected(bad):
    with pytest.raises(ValidationError, match="är inget giltigt id"):
        entity(id=bad)


def test_unknown_fields_are_rejected():
    with pytest.raises(ValidationError) as exc:
        entity(hemsida="https://malmo.se")
    assert messages(exc.value) == ["hemsida: Extra inputs are not permitted"]


def test_kind_must_fit_the_category():
    with pytest.raises(ValidationError, match="hör inte hemma bland actor-filerna"):
        Actor.model_validate({"id": "x", "kind": "tema", "name": "X"})


def test_unknown_kind_lists_the_allowed_ones():
    with pytest.raises(ValidationError, match="okänd typ 'landsting'; välj bland: kommunfullmäktige"):
        entity(kind="landsting")


def test_whitespace_is_stripped():
    assert entity(name="  Fritidsnämnden \n").name == "Fritidsnämnden"


@pytest.mark.parametrize("value", ["2024", "2024-09", "2024-09-26"])
def test_partial_dates(value):
    assert entity(**{"from": value}).valid_from == value


@pytest.mark.parametrize("value", ["2024-13", "2024-02-30", "24", "2024/09/26", "september"])
def test_bad_dates(value):
    with pytest.raises(ValidationError, match="är inget giltigt datum"):
        entity(**{"from": value})


def test_from_after_until_is_rejected():
    with pytest.raises(ValidationError, match="'until' 2024-12 ligger före 'from' 2025"):
        entity(**{"from": "2025", "until": "2024-12"})


def test_partial_date_bounds():
    d = parse_partial_date("2024-02")
    assert (d.earliest().isoformat(), d.latest().isoformat()) == ("2024-02-01", "2024-02-29")


def test_relation_defaults_and_roles():
    rel = Participation(target="sbum")
    assert rel.role.value == "deltar"
    with pytest.raises(ValidationError):
        Participation(target="sbum", role="bestämmer")


def test_position_needs_a_stance_and_valid_ids():
    with pytest.raises(ValidationError, match="stance"):
        Position(target="remiss")
    with pytest.raises(ValidationError, match="är inget giltigt id"):
        Position(target="remiss", stance="föreslår", proposes=["Kommunstyrelsen"])


def test_relation_fields_belong_to_their_type():
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        entity(relations=[{"type": "operates_in", "target": "malmö", "role": "leder"}])


def test_the_same_relation_twice_is_rejected():
    rel = {"type": "participates_in", "target": "sbum", "evidence": EV}
    with pytest.raises(ValidationError, match=r"relationen x\|participates_in\|sbum\|deltar står två gånger"):
        entity(relations=[rel, rel])
    # a different role is a different relation
    assert len(entity(relations=[rel, {**rel, "role": "leder"}]).relations) == 2


def test_duplicate_alias_is_rejected():
    with pytest.raises(ValidationError, match="aliaset 'SBUM' står två gånger"):
        entity(aliases=["SBUM", "SBUM"])


def test_question_ids_unique():
    with pytest.raises(ValidationError, match="fråge-id som står två gånger: 1"):
        validate_entity(
            {
                "id": "r",
                "kind": "remiss",
                "name": "R",
                "questions": [{"id": "1", "text": "a"}, {"id": "1", "text": "b"}],
            }
        )


def test_funds_fields():
    e = entity(
        relations=[
            {
                "type": "funds",
                "target": "lokal-utveckling",
                "amount": "10000000",
                "year": "2026",
                "evidence": EV,
            }
        ]
    )
    rel = e.relations[0]
    assert (rel.amount, rel.currency, rel.year) == (10_000_000, "SEK", 2026)
    with pytest.raises(ValidationError):
        entity(relations=[{"type": "funds", "target": "x", "currency": "kronor"}])


def test_document_file_must_stay_inside_the_registry():
    with pytest.raises(ValidationError, match="måste vara en sökväg inuti registret"):
        validate_entity({"id": "d", "kind": "dokument", "name": "D", "file": "../etc/passwd"})
