"""Connecting to Neo4j: settings from flags or environment, and errors in one line.

The password is read from an environment variable (NEO4J_PASSWORD unless told otherwise) and
kept out of every message, repr and log line.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from samverkan.registry.errors import BackendUnavailableError, RegistryError

__all__ = ["URI_SCHEMES", "Neo4jSettings", "connect", "session", "translate"]

# what the Neo4j driver connects with: bolt to one server, neo4j with routing; +s, +ssc with TLS
URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


@dataclass(frozen=True)
class Neo4jSettings:
    """Where the database is and how to log in (the password never shows in repr)."""

    uri: str
    user: str
    password: str = field(repr=False)
    database: str = "neo4j"

    @classmethod
    def resolve(
        cls,
        uri: str | None = None,
        user: str | None = None,
        password_env: str = "NEO4J_PASSWORD",
        database: str | None = None,
    ) -> Neo4jSettings:
        """Flags first, then the environment (NEO4J_URI, NEO4J_USER, the password variable, NEO4J_DATABASE)."""
        uri = uri or os.environ.get("NEO4J_URI")
        if not uri:
            raise BackendUnavailableError("ingen Neo4j-server angiven: använd --uri eller NEO4J_URI")
        scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
        if scheme not in URI_SCHEMES:
            raise BackendUnavailableError(
                f"Neo4j-adressen {uri!r} har inget giltigt schema; använd något av: "
                + ", ".join(f"{s}://" for s in URI_SCHEMES)
                + " (till exempel bolt://127.0.0.1:7687)"
            )
        password = os.environ.get(password_env)
        if password is None:
            raise BackendUnavailableError(f"lösenordet saknas: sätt miljövariabeln {password_env}")
        return cls(
            uri=uri,
            user=user or os.environ.get("NEO4J_USER", "neo4j"),
            password=password,
            database=database or os.environ.get("NEO4J_DATABASE", "neo4j"),
        )


def translate(exc: Exception, settings: Neo4jSettings) -> BackendUnavailableError:
    """One line, in Swedish, for what went wrong; never the password."""
    from neo4j import exceptions as nx  # only when Neo4j is used

    if isinstance(exc, nx.AuthError):
        return BackendUnavailableError(
            f"Neo4j på {settings.uri} nekade inloggning för {settings.user!r} (fel lösenord?)"
        )
    if isinstance(exc, nx.ClientError) and "DatabaseNotFound" in (exc.code or ""):
        return BackendUnavailableError(f"databasen {settings.database!r} finns inte på {settings.uri}")
    if isinstance(exc, (nx.ServiceUnavailable, nx.SessionExpired, OSError)):
        return BackendUnavailableError(f"Neo4j svarar inte på {settings.uri}")
    if isinstance(exc, (nx.ConfigurationError, ValueError)):
        return BackendUnavailableError(f"ogiltig Neo4j-adress {settings.uri!r}")
    message = str(exc).replace(settings.password, "***") if settings.password else str(exc)
    return BackendUnavailableError(f"Neo4j-fel: {message.splitlines()[0] if message else type(exc).__name__}")


def connect(settings: Neo4jSettings) -> Any:
    """A verified driver: the server answers, the login works and the database exists."""
    import logging

    from neo4j import GraphDatabase

    # the driver logs retries as warnings; our one-line messages say what the user needs
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    logging.getLogger("neo4j").propagate = False

    try:
        driver = GraphDatabase.driver(
            settings.uri,
            auth=(settings.user, settings.password),
            connection_timeout=5,
            max_transaction_retry_time=5,
            notifications_min_severity="OFF",
        )
        driver.verify_connectivity()
        driver.execute_query("RETURN 1", database_=settings.database)
    except Exception as exc:  # every driver error becomes one line
        raise translate(exc, settings) from None
    return driver


@contextmanager
def session(settings: Neo4jSettings) -> Iterator[Any]:
    """A verified driver, closed afterwards; a driver error inside becomes one line (our own
    errors pass through unchanged)."""
    driver = connect(settings)
    try:
        yield driver
    except RegistryError:
        raise
    except Exception as exc:  # every driver error becomes one line
        raise translate(exc, settings) from None
    finally:
        driver.close()
