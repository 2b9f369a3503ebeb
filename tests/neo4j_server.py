"""The real Neo4j server for tests: started once per session by scripts/neo4j-server.

NEO4J_URI (with NEO4J_PASSWORD) points the tests at a running server instead. Without Java and
Maven the Neo4j tests skip with a loud reason, unless SAMVERKAN_REQUIRE_NEO4J=1 (as CI sets),
which makes them fail.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "neo4j-server"
SERVER_ENV: dict[str, str] = {}  # NEO4J_PORT and SAMVERKAN_NEO4J_STATE of the server the script started


def _unavailable(reason: str) -> None:
    if os.environ.get("SAMVERKAN_REQUIRE_NEO4J") == "1":
        pytest.fail(f"Neo4j is required here: {reason}")
    pytest.skip(f"NO NEO4J: {reason}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory):
    from samverkan.graphs.backends.neo4j_conn import Neo4jSettings

    if os.environ.get("NEO4J_URI"):
        yield Neo4jSettings.resolve()
        return
    if not (shutil.which("java") and shutil.which("mvn")):
        _unavailable("Java and Maven are needed to start the test server (scripts/neo4j-server)")
    env = dict(os.environ)
    env.update(
        NEO4J_PORT=str(_free_port()),
        NEO4J_PASSWORD=secrets.token_hex(12),
        SAMVERKAN_NEO4J_STATE=str(tmp_path_factory.mktemp("neo4j-state")),
    )
    started = subprocess.run([str(SCRIPT), "start"], check=False, env=env, capture_output=True, text=True, timeout=900)
    if started.returncode != 0:
        _unavailable(f"the server did not start: {started.stderr.strip()[-800:]}")
    SERVER_ENV.update(NEO4J_PORT=env["NEO4J_PORT"], SAMVERKAN_NEO4J_STATE=env["SAMVERKAN_NEO4J_STATE"])
    try:
        yield Neo4jSettings(uri=started.stdout.strip().splitlines()[-1], user="neo4j", password=env["NEO4J_PASSWORD"])
    finally:
        subprocess.run([str(SCRIPT), "stop"], check=False, env=env, capture_output=True, timeout=120)


@pytest.fixture
def neo4j_driver(neo4j_settings):
    """A connection to an emptied database."""
    from samverkan.graphs.backends.neo4j_conn import connect

    driver = connect(neo4j_settings)
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=neo4j_settings.database)
    yield driver
    driver.close()
