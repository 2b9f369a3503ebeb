"""Bad input and hostile output: every case ends in one located problem or one "Fel: …" line with
the right exit code, never a traceback, and nothing printed can attack its reader."""

from __future__ import annotations

import csv
import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.cli.outfile import GENERATOR_MARK
from samverkan.cli.output import as_csv
from samverkan.registry import atomic, store
from samverkan.registry.store import load_registry
from samverkan.registry.yamlio import MAX_DEPTH

MAIN = "import sys; from samverkan.cli.main import main; sys.argv[0] = 'samverkan'; main()"


def one_line_error(result, code: int = 1, contains: str = "") -> None:
    """A failure the way users must see it: exit code, one line on stderr, no traceback."""
    assert result.exit_code == code, result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("Fel: ")
    assert contains in result.stderr
    assert "Traceback" not in result.output


def problems_of(run, root: Path) -> list[str]:
    result = run("validate", registry=root)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    return result.stdout.splitlines()


def put(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---- untrusted YAML ----------------------------------------------------------------------------

BOMB = "id: bomb\nkind: nätverk\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (BOMB, 3, "YAML-ankare (&a) används inte i registerfiler"),
        ("id: loop\nkind: nätverk\nname: &x [*x]\n", 3, "YAML-ankare (&x)"),
        ("id: deep\nkind: nätverk\nname: " + "[" * 500 + "]" * 500 + "\n", 3, "för djup nästling"),
        ("id: deep\nkind: nätverk\nname:\n" + "".join("  " * i + "- \n" for i in range(1, 500)), 36, "för djup"),
        ("id: deep\nkind: nätverk\nx:\n" + "".join("  " * i + "y:\n" for i in range(1, 3000)), 36, "för djup"),
    ],
    ids=["alias-bomb", "recursive-alias", "flow-nesting", "block-nesting", "very-deep"],
)
def test_untrusted_yaml_is_a_located_problem(run, mini_copy, text, line, message):
    put(mini_copy, "structures/hostile.yaml", text)
    (problem,) = [p for p in problems_of(run, mini_copy) if p.startswith("structures/hostile.yaml")]
    assert problem.startswith(f"structures/hostile.yaml:{line}: ")
    assert message in problem
    one_line_error(run("list", registry=mini_copy), contains="registret har 1 problem")


def test_an_anchor_is_reported_at_its_own_line(mini_copy):
    put(mini_copy, "themes/trygghet.yaml", "id: trygghet\nkind: tema\nname: Trygghet\naliases:\n- &t Trygg\n")
    (problem,) = load_registry(mini_copy).problems
    assert (problem.path, problem.line) == ("themes/trygghet.yaml", 5)


def test_nesting_up_to_the_limit_is_read(mini_copy):
    depth = MAX_DEPTH - 2
    put(mini_copy, "themes/trygghet.yaml", "id: trygghet\nkind: tema\nname: " + "[" * depth + "]" * depth + "\n")
    assert "för djup" not in str(load_registry(mini_copy).problems)


def test_hidden_folders_and_dangling_links(run, mini_copy):
    (mini_copy / ".git").mkdir()
    (mini_copy / ".git" / "x.yaml").symlink_to(mini_copy / "nowhere.yaml")
    put(mini_copy, ".hidden/broken.yaml", "{{{")
    assert run("list", registry=mini_copy).exit_code == 0  # hidden folders are not the registry
    (mini_copy / "actors" / "ghost.yaml").symlink_to(mini_copy / "nowhere.yaml")
    assert problems_of(run, mini_copy) == ["actors/ghost.yaml:1: länken pekar på en fil som inte finns"]
    one_line_error(run("list", registry=mini_copy), contains="registret har 1 problem")


def test_a_file_vanishing_during_the_scan_is_a_problem(mini_copy, monkeypatch):
    real = store._entity_files

    def vanishing(root: Path):
        for path, category in real(root):
            if path.name == "polisen.yaml":
                path.unlink()
            yield path, category

    monkeypatch.setattr(store, "_entity_files", vanishing)
    problems = [str(p) for p in load_registry(mini_copy).problems]
    assert problems == ["actors/polisen.yaml:1: filen försvann medan registret lästes"]


def test_a_source_behind_a_link_out_of_the_registry_is_not_read(run, mini_copy, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_bytes((mini_copy / "sources" / "protokoll.txt").read_bytes())
    (mini_copy / "sources" / "protokoll.txt").unlink()
    (mini_copy / "sources" / "protokoll.txt").symlink_to(secret)
    registry = load_registry(mini_copy).registry
    assert registry.source_text("protokoll") is None
    found = problems_of(run, mini_copy)
    assert "documents/protokoll.yaml:4: file: källfilen 'sources/protokoll.txt' leder ut ur registret" in found[0]


def test_clearer_messages_for_encoding_dates_and_kind(run, mini_copy):
    polisen = mini_copy / "actors" / "polisen.yaml"
    polisen.write_bytes(polisen.read_bytes().replace(b"Polismyndigheten", b"Polismyndigheten\xff"))
    area = mini_copy / "areas" / "rosengård.yaml"
    area.write_text(
        area.read_text(encoding="utf-8").replace("name: Rosengård\n", "name: Rosengård\nfrom: 2024-05\nuntil: 2023\n"),
        encoding="utf-8",
    )
    theme = mini_copy / "themes" / "trygghet.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("kind: tema\n", ""), encoding="utf-8")
    found = problems_of(run, mini_copy)
    assert found[0] == "actors/polisen.yaml:3: raden är inte UTF-8 (byte 0xff); spara filen som UTF-8"
    assert found[1] == "areas/rosengård.yaml:5: until: 'until' 2023 ligger före 'from' 2024-05"
    assert found[2].startswith("themes/trygghet.yaml:1: kind: fältet saknas: ange entitetens typ")


# ---- output that cannot attack its reader -------------------------------------------------------

HOSTILE_NAME = '=HYPERLINK("http://x")\x1b[31m\u202eröd'


@pytest.fixture
def hostile(mini_copy: Path) -> Path:
    """The mini registry with a formula, an escape sequence and a bidi override in a name."""
    path = mini_copy / "actors" / "polisen.yaml"
    text = path.read_text(encoding="utf-8").replace("short_name: Polisen", "short_name: Polisen\naliases:\n- '-2+3'")
    name = HOSTILE_NAME.replace("\x1b", "\\e").replace("\u202e", "\\u202E").replace('"', '\\"')
    path.write_text(text.replace("name: Polismyndigheten", f'name: "{name}"'), encoding="utf-8")
    return mini_copy


def test_csv_cells_are_never_formulas():
    text = as_csv(["a", "b"], [["=1+1", "+1"], ["-x", "@SUM(A1)"], ["\tx", "\rx"], ["ok", -1]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1:] == [["'=1+1", "'+1"], ["'-x", "'@SUM(A1)"], ["'\tx", "'\rx"], ["ok", "-1"]]


@pytest.mark.parametrize(
    "args",
    [("list", "--csv"), ("who", "sbum", "--csv")],
    ids=["list", "who"],
)
def test_every_csv_output_neutralises_formulas(run, hostile, args):
    result = run(*args, registry=hostile)
    assert result.exit_code == 0, result.output
    cells = [c for row in csv.reader(io.StringIO(result.stdout)) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert any(c.startswith("'=HYPERLINK") for c in cells)


def test_validate_flags_control_characters(run, hostile):
    found = problems_of(run, hostile)
    assert found == ["actors/polisen.yaml:3: name: innehåller styrtecken (U+001B, U+202E); ta bort dem"]


def test_control_characters_are_escaped_on_a_terminal(hostile):
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", MAIN, "--registry", str(hostile), "show", "polisen"],
        stdout=follower,
        stderr=follower,
        close_fds=True,
    )
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    assert proc.wait(timeout=60) == 0
    text = out.decode("utf-8")
    assert "\x1b" not in text and "\u202e" not in text
    assert "\\x1b[31m\\u202eröd" in text


def test_output_to_a_pipe_keeps_the_data(run, hostile):
    result = run("show", "polisen", "--json", registry=hostile)
    assert "\u202e" in result.stdout  # JSON is data; json escapes the C0 controls itself
    assert "\x1b" not in result.stdout


# ---- output files ------------------------------------------------------------------------------


def test_output_inside_the_registry_is_refused(run, mini_copy):
    target = mini_copy / "actors" / "polisen.yaml"
    before = target.read_bytes()
    for args in (("render", "full", "-o", str(target)), ("report", "-o", str(mini_copy / "rapport.html"))):
        one_line_error(run(*args, registry=mini_copy), contains="ligger i registret")
    assert target.read_bytes() == before


def test_a_file_that_is_not_ours_needs_force(run, tmp_path):
    mine = tmp_path / "mine.html"
    mine.write_text("<p>mitt eget arbete</p>", encoding="utf-8")
    one_line_error(run("render", "full", "-o", str(mine)), contains="är inte skriven av samverkan; ange --force")
    assert mine.read_text(encoding="utf-8") == "<p>mitt eget arbete</p>"
    assert run("render", "full", "-o", str(mine), "--force").exit_code == 0
    assert GENERATOR_MARK in mine.read_bytes()
    assert run("render", "full", "-o", str(mine)).exit_code == 0  # ours now: rewritten freely
    assert run("report", "-o", str(mine)).exit_code == 0


def test_unwritable_output_paths(run, tmp_path):
    a_file = tmp_path / "fil.html"
    a_file.write_text("", encoding="utf-8")
    one_line_error(run("render", "full", "-o", str(a_file / "under.html")), contains="är en fil, inte en katalog")
    one_line_error(run("report", "-o", "/proc/rapport.html"), contains="kan inte skriva /proc/rapport.html")
    folder = run("render", "full", "-o", str(tmp_path))  # a folder: click's usage error
    assert folder.exit_code == 2 and "är en katalog" in folder.stderr.splitlines()[-1]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folders(run, tmp_path, mini_copy):
    folder = tmp_path / "skrivskyddad"
    folder.mkdir()
    folder.chmod(0o555)
    one_line_error(run("render", "full", "-o", str(folder / "x.html")), contains="åtkomst nekas")
    (mini_copy / "areas").chmod(0o555)
    malmo = mini_copy / "areas" / "malmö.yaml"
    malmo.write_text(malmo.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in mini_copy.rglob("*.yaml")}
    one_line_error(run("fmt", registry=mini_copy), contains="inget ändrades")
    assert {p: p.read_bytes() for p in mini_copy.rglob("*.yaml")} == before


def test_permission_denied_is_one_line_and_changes_nothing(run, mini_copy, tmp_path, monkeypatch):
    """A read-only folder, the way a user who is not root meets it (the tests may run as root)."""
    malmo = mini_copy / "areas" / "malmö.yaml"
    malmo.write_text(malmo.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    (mini_copy / "actors" / "polisen.yaml").rename(mini_copy / "actors" / "polisen.yml")
    before = {p: p.read_bytes() for p in mini_copy.rglob("*") if p.is_file()}

    def denied(prefix: str = "", dir: str | None = None, **_: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied", f"{dir}/{prefix}tmp")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", denied)
    one_line_error(run("render", "full", "-o", str(tmp_path / "x.html")), contains="x.html: åtkomst nekas")
    one_line_error(run("fmt", registry=mini_copy), contains="åtkomst nekas; inget ändrades")
    assert {p: p.read_bytes() for p in mini_copy.rglob("*") if p.is_file()} == before


def test_stdout_to_a_full_device():
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-c", MAIN, "--registry", str(Path(__file__).parent / "fixtures" / "mini"), "list"],
            stdout=full,
            stderr=subprocess.PIPE,
            check=False,
            text=True,
        )
    assert proc.returncode == 1
    assert proc.stderr.startswith("Fel: ") and proc.stderr.count("\n") == 1
    assert "enheten är full" in proc.stderr


# ---- tracebacks that became messages -----------------------------------------------------------


def test_an_empty_registry_answers_emptily(run, tmp_path):
    empty = tmp_path / "tomt"
    empty.mkdir()
    for args in (("stats",), ("stats", "--json"), ("overlaps",), ("duplicates",), ("gaps",), ("list",)):
        result = run(*args, registry=empty)
        assert result.exit_code == 0, (args, result.output)


@pytest.mark.parametrize(
    "args",
    [("duplicates", "--min-confidence", "nan"), ("overlaps", "--min-score", "nan"), ("overlaps", "--min-score", "2")],
)
def test_nan_is_a_usage_error(run, args):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith("Fel: Ogiltigt värde för")
    assert "Traceback" not in result.output


def test_unknown_kind_and_question_are_errors_not_empty_answers(run, tmp_path):
    one_line_error(run("render", "full", "--kind", "bogus", "-o", str(tmp_path / "x.html")), contains="okänd typ bogus")
    assert not (tmp_path / "x.html").exists()
    one_line_error(run("positions", "--question", "99"), contains="inga svar på frågan '99'")


def test_an_unsupported_neo4j_scheme_names_the_supported_ones(run, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "x")
    one_line_error(run("neo4j", "sync", "--uri", "http://localhost:7474"), contains="bolt://, bolt+s://")


@pytest.mark.parametrize("args", [("list",), ("validate",), ("fmt",), ("merge", "a", "b"), ("review",)])
def test_a_missing_registry_folder_is_named(run, tmp_path, args):
    missing = tmp_path / "saknas"
    one_line_error(run(*args, registry=missing), contains=f"registerkatalogen {missing} finns inte")


@pytest.mark.parametrize("how", ["relative", "symlinked"])
@pytest.mark.parametrize("dry_run", [True, False], ids=["dry-run", "applied"])
def test_merge_with_a_relative_or_linked_registry(run, mini_copy, monkeypatch, how, dry_run):
    monkeypatch.chdir(mini_copy.parent)
    if how == "symlinked":
        (mini_copy.parent / "länk").symlink_to(mini_copy)
    root = Path("länk" if how == "symlinked" else "mini")
    result = run("merge", "sbum", "örat-mot-marken", *(["--dry-run"] if dry_run else []), registry=root)
    assert result.exit_code == 0, result.output
    assert "  structures/örat-mot-marken.yaml tas bort" in result.stdout
    assert (mini_copy / "structures" / "örat-mot-marken.yaml").exists() == dry_run


# ---- fuzzing the loader ------------------------------------------------------------------------

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20))
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
entity_like = st.fixed_dictionaries(
    {"id": st.sampled_from(["fuzz", "sbum", ""]), "kind": st.sampled_from(["nätverk", "tema", "x"])},
    optional={"name": scalars, "relations": documents, "evidence": documents, "from": scalars, "until": scalars},
)


yaml_like = st.text(alphabet=st.sampled_from(list("&*!|>[]{}:,-?#%@'\"\\ \n\tab1é")), max_size=200)


def _loads_without_raising(root: Path, data: bytes) -> None:
    (root / "structures" / "fuzz.yaml").write_bytes(data)
    result = load_registry(root)
    for problem in result.problems:
        assert problem.line >= 1 and str(problem)


@FUZZ
@given(data=st.binary(max_size=300))
def test_fuzz_random_bytes(mini_copy, data):
    _loads_without_raising(mini_copy, data)


@FUZZ
@given(data=st.one_of(documents, entity_like))
def test_fuzz_random_yaml(mini_copy, data):
    _loads_without_raising(mini_copy, yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))


@FUZZ
@given(text=yaml_like)
def test_fuzz_yaml_punctuation(mini_copy, text):
    _loads_without_raising(mini_copy, ("id: fuzz\nkind: nätverk\n" + text).encode("utf-8"))


def test_the_progress_bar_keeps_its_own_control_sequences():
    from samverkan.cli.output import _GuardedStream, unguarded

    terminal = io.StringIO()
    guarded = _GuardedStream(terminal)
    guarded.write("\x1b[2J")
    assert terminal.getvalue() == "\\x1b[2J"
    assert unguarded(guarded) is terminal and unguarded(terminal) is terminal


def test_validate_flags_control_characters_in_reviews(run, mini_copy):
    args = ("review", "overlap", "sbum", "örat-mot-marken", "--verdict", "inte", "--by", "Anna")
    result = run(*args, registry=mini_copy)
    assert result.exit_code == 0, result.output
    (path,) = (mini_copy / "reviews").glob("*.yaml")
    path.write_text(path.read_text(encoding="utf-8").replace("by: Anna", 'by: "An\\rna"'), encoding="utf-8")
    found = problems_of(run, mini_copy)
    assert found == [f"reviews/{path.name}:8: judgements[0].by: innehåller styrtecken (U+000D); ta bort dem"]
    assert run("review", registry=mini_copy).exit_code == 0  # a query still answers, escaped on a terminal
