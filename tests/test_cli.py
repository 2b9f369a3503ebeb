"""Every command through click's CliRunner: output, --json equal to the library, exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from samverkan.cli.main import cli
from samverkan.graphs.backends.embedded import EmbeddedBackend
from samverkan.registry.store import load_registry

from .conftest import MINI

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture(scope="module")
def backend():
    return EmbeddedBackend(load_registry(MINI).registry)


def test_who_json_equals_the_library(run, backend):
    result = run("who", "SBUM", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data == {
        "entity": {"id": "sbum", "name": "Samverkan barn och unga i Malmö", "kind": "samverkansforum"},
        "results": [r.to_dict() for r in backend.who("sbum")],
    }
    assert set(data["results"][0]) == {
        "id",
        "name",
        "kind",
        "role",
        "status",
        "evidence",
        "entity_status",
        "entity_until",
    }


def test_who_human_output(run):
    result = run("who", "sbum:s")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Deltagare i Samverkan barn och unga i Malmö (samverkansforum, sbum):",
        "namn               typ                roll    status",
        "-----------------  -----------------  ------  ---------",
        "Fritidsnämnden     nämnd              leder   befintlig",
        "Grundskolenämnden  nämnd              deltar  befintlig",
        "Polismyndigheten   statlig_myndighet  deltar  befintlig",
        "Region Skåne       region             deltar  befintlig",
    ]


def test_who_csv(run):
    result = run("who", "orat mot marken", "--csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["id", "name", "kind", "role", "status", "entity_status", "entity_until"]
    assert rows[1][:2] == ["föreningen-script", "Föreningen </script><script>alert(1)</script>"]


def test_where_json_equals_the_library(run, backend):
    result = run("where", "Fritidsnämnden", "--include-parts", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["results"] == [
        r.to_dict() for r in backend.where("fritidsnämnden", include_parts=True)
    ]
    assert json.loads(result.stdout)["results"][0]["via"]["id"] == "fritidsförvaltningen"


def test_list_json_and_kind_filter(run, backend):
    result = run("list", "--json")
    assert json.loads(result.stdout) == {"results": backend.list_entities()}
    result = run("list", "--kind", "nämnd", "--csv")
    assert result.stdout.splitlines() == [
        "id,name,kind,aliases",
        "fritidsnämnden,Fritidsnämnden,nämnd,",
        "grundskolenämnden,Grundskolenämnden,nämnd,",
    ]


def test_list_unknown_kind_is_a_usage_error(run):
    result = run("list", "--kind", "landsting")
    assert result.exit_code == 2
    assert "okänd typ 'landsting'" in result.stderr


def test_show(run, backend):
    result = run("show", "SBUM", "--json")
    assert json.loads(result.stdout) == backend.show("sbum")
    text = run("show", "SBUM").stdout
    assert text.startswith("Samverkan barn och unga i Malmö  [sbum]\n")
    assert "har deltagare Fritidsnämnden [fritidsnämnden] (roll: leder)" in text
    assert "källa: protokoll s. 1: ”Samverkan barn och unga i Malmö (SBUM), ett forum”" in text


def test_path(run, backend):
    result = run("path", "Polisen", "Fritidsförvaltningen", "--json")
    assert json.loads(result.stdout) == backend.paths("polisen", "fritidsförvaltningen").to_dict()
    text = run("path", "Polisen", "Fritidsförvaltningen", "--limit", "1").stdout
    assert text.splitlines()[1] == (
        "  1. Polismyndigheten —deltar i→ Samverkan barn och unga i Malmö ←är del av— "
        "Arbetsgruppen för SBUM ←deltar i— Fritidsförvaltningen"
    )


def test_no_path_exits_1(run):
    result = run("path", "Polisen", "Trygghet")
    assert result.exit_code == 1
    assert "ingen väg mellan Polismyndigheten och Trygghet" in result.stderr


def test_unknown_name_exits_1_with_suggestion(run):
    result = run("who", "SBUMM")
    assert result.exit_code == 1
    assert result.stderr.startswith("Fel: hittade ingen entitet som heter 'SBUMM'; menade du: ")
    assert "Traceback" not in result.output


def test_ambiguous_name_exits_1_and_lists_the_candidates(mini_copy, run):
    path = mini_copy / "themes" / "trygghet.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("name: Trygghet\n", "name: Trygghet\naliases:\n- Sbum-arbetsgrupp\n"),
        encoding="utf-8",
    )
    assert run("validate", registry=mini_copy).exit_code == 0
    result = run("who", "SBUM-ARBETSGRUPP", registry=mini_copy)
    assert result.exit_code == 1
    assert result.stderr == (
        "Fel: 'SBUM-ARBETSGRUPP' kan avse flera entiteter: sbum-arbetsgrupp (Arbetsgruppen för SBUM); "
        "trygghet (Trygghet). Ange id.\n"
    )
    assert run("who", "sbum-arbetsgrupp", registry=mini_copy).exit_code == 0  # the exact id decides


def test_naming_a_proposed_structure_is_never_refused(run):
    result = run("who", "Strategisk samverkansplattform", "--json")
    assert result.exit_code == 0
    assert "är föreslagen och räknas bara med --include-proposed; visas ändå" in result.stderr
    flagged = run("who", "Strategisk samverkansplattform", "--include-proposed", "--json")
    assert flagged.stderr == ""
    assert json.loads(result.stdout) == json.loads(flagged.stdout)
    shown = run("show", "Strategisk samverkansplattform")
    assert shown.exit_code == 0
    assert "  status: föreslagen" in shown.stdout.splitlines()
    # --include-proposed still decides what lists count
    listed = {r["id"] for r in json.loads(run("list", "--kind", "plattform", "--json").stdout)["results"]}
    assert "strategisk-samverkansplattform" not in listed


def test_as_of(run):
    result = run("where", "Kommunstyrelsen", "--as-of", "2024-01-01", "--json")
    assert result.exit_code == 0
    result = run("show", "kraftsamlande insatser", "--as-of", "2024-01-01")
    assert result.exit_code == 0
    assert "gällde inte den 2024-01-01; visas ändå" in result.stderr
    bad = run("who", "SBUM", "--as-of", "igår")
    assert bad.exit_code == 2
    assert "'igår' är inget datum" in bad.stderr


def test_validate_clean(run):
    result = run("validate")
    assert result.exit_code == 0
    assert result.stdout == "Registret är giltigt: 20 entiteter, 20 relationer.\n"
    data = json.loads(run("validate", "--json").stdout)
    assert data == {"entities": 20, "relations": 20, "problems": [], "warnings": []}


def test_registry_from_environment(monkeypatch):
    from click.testing import CliRunner

    monkeypatch.setenv("SAMVERKAN_REGISTRY", str(MINI))
    result = CliRunner().invoke(cli, ["who", "SBUM", "--json"])
    assert json.loads(result.stdout)["entity"]["id"] == "sbum"


def test_unknown_option_is_a_usage_error(run):
    assert run("who", "SBUM", "--nope").exit_code == 2
    assert run("who").exit_code == 2


COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(run, command):
    result = run(command, "--help", registry=None)
    assert result.exit_code == 0
    assert "Exempel:" in result.stdout
    assert f"samverkan {command}" in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command):
    assert f"samverkan {command}" in README.read_text(encoding="utf-8")


def test_positions_json_equals_the_library(run, backend):
    result = run("positions", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data == {"results": [p.to_dict() for p in backend.positions()]}
    first = data["results"][0]
    assert set(first) >= {"respondent", "consultation", "question", "stance", "proposes", "evidence"}
    assert (first["respondent"]["id"], first["question"], first["stance"]) == (
        "fritidsnämnden",
        {"id": "1", "text": "Hur ser ni på modellen?"},
        "varnar_för_överlapp",
    )
    assert [c["id"] for c in first["concerns"]] == ["samverkansplattform", "sbum"]


def test_positions_filters(run):
    result = run("positions", "--consultation", "Remiss om samverkan i Rosengård", "--question", "2", "--csv")
    assert result.stdout.splitlines() == [
        "respondent,consultation,question,stance,proposes,concerns,text,jointly",
        "fritidsnämnden,remiss-2024,2,föreslår,kommunstyrelsen,,Kommunstyrelsen bör samordna.,",
        "grundskolenämnden,remiss-2024,2,avstår,,,,",
    ]
    assert run("positions", "--consultation", "finns inte").exit_code == 1


def test_sources(run, backend):
    data = json.loads(run("sources", "--json").stdout)
    # every entity but the document itself cites it, and every relation
    assert data == {
        "results": [
            {
                "id": "protokoll",
                "name": "Remissvar om samverkan i Rosengård",
                "file": "sources/protokoll.txt",
                "entities": 19,
                "relations": 20,
                "unquoted": False,
            }
        ]
    }
    assert run("sources").stdout.splitlines()[2].startswith("protokoll")


def _all_commands(group=cli, path=()):
    for name, command in sorted(group.commands.items()):
        yield (*path, name)
        if hasattr(command, "commands"):
            yield from _all_commands(command, (*path, name))


ENGLISH = ("Usage:", "Options:", "Commands:", "Show this message", "default:", "Registry directory", "INTEGER")


@pytest.mark.parametrize("command", [" ".join(c) for c in [(), *_all_commands()]])
def test_help_is_swedish(run, command):
    result = run(*command.split(), "--help", registry=None)
    assert result.exit_code == 0
    assert result.stdout.startswith("Användning: samverkan")
    assert not [word for word in ENGLISH if word in result.stdout]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["who", "SBUM", "--nope"], "Fel: Okänd flagga '--nope'."),
        (["who"], "Fel: Argumentet saknas: 'NAMN'."),
        (["nosuch"], "Fel: Okänt kommando 'nosuch'."),
        (["--backend", "foo", "who", "SBUM"], "Fel: Ogiltigt värde för '--backend': 'foo' är inte något av"),
        (["path", "a", "b", "--limit", "0"], "Fel: Ogiltigt värde för '--limit': 0 ligger inte i intervallet"),
        (["neo4j", "sync", "--batch", "x"], "Fel: Ogiltigt värde för '--batch': 'x' är inget heltal"),
    ],
)
def test_usage_errors_are_swedish_and_prefixed(run, args, message):
    result = run(*args)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Användning: samverkan")
    assert lines[1].startswith("Se 'samverkan") and lines[1].endswith("--help' för hjälp.")
    assert lines[-1].startswith(message)
    assert "Error" not in result.stderr
