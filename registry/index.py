"""An on-disk index of a registry, updated file by file, so a query never reads every YAML file.

The index is a SQLite database in the user's cache directory (never in the registry): a row per
file the loader reads (size, modification and change time, inode, SHA-256 of the content) and
tables of entities, relations and names with the indexes the queries need. It is a
cache and never the truth:

- before every answer each file is looked at again (git's way: the stat data first, the content
  hash when the stat data changed or was taken too close to the change to be trusted), and only
  the files that really changed are parsed again;
- every file the loader reads is covered: `*.yaml` and `*.yml` entity files, `sources/` (a
  document's file must exist) and `reviews/`;
- the cross-file checks of an entity are redone when it changed or when anything it looked at
  changed (an id it names, the file of a document), so "is this registry valid" is always current;
- an index that cannot be read, was written for another place or by another version of the code,
  is rebuilt; deleting it loses nothing.

When the index says the registry has problems, the caller loads it from scratch (the loader with
line numbers), so problems are always reported exactly as `validate` reports them.

Files that parse cleanly are read with libyaml (`load_yaml_fast`); the line-number loader is used
only for files with something to report. A cold index is built in parallel across cores.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from . import changes
from .parallel import PARALLEL_FROM, in_workers
from .problems import Problem
from .progress import Progress

__all__ = [
    "RegistryIndex",
    "early_scan",
    "file_hash",
    "file_key",
    "index_path",
    "open_index",
    "scan_early",
    "select_in",
    "start_scan",
]

SCHEMA = 2
_ENTITY_SUFFIXES = (".yaml", ".yml")
_RACY_NS = 2_000_000_000  # stat data this close to the scan may hide a later same-second edit
_CODE = Path(__file__).resolve().parent

_TABLES_SQL = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE files(path TEXT PRIMARY KEY, role TEXT, hash TEXT, ok INT, declared TEXT);
CREATE TABLE entities(path TEXT PRIMARY KEY, id TEXT, kind TEXT, category TEXT, name TEXT,
                      aliases TEXT, status TEXT, vfrom TEXT, vuntil TEXT, attrs TEXT, data TEXT,
                      cross_ok INT);
CREATE TABLE relations(path TEXT, ord INT, source TEXT, target TEXT, key TEXT, type TEXT,
                       status TEXT, vfrom TEXT, vuntil TEXT, attrs TEXT, PRIMARY KEY(path, ord));
CREATE TABLE refs(path TEXT, ref TEXT);
CREATE TABLE names(path TEXT, id TEXT, exact TEXT, folded TEXT, is_name INT);
"""
# made after a cold build's rows are in: sorting once is much faster than growing each tree
_INDEXES_SQL = """
CREATE INDEX IF NOT EXISTS entities_id ON entities(id);
CREATE INDEX IF NOT EXISTS entities_kind ON entities(kind);
CREATE INDEX IF NOT EXISTS relations_source ON relations(source);
CREATE INDEX IF NOT EXISTS relations_target ON relations(target, type);
CREATE INDEX IF NOT EXISTS relations_type ON relations(type);
CREATE INDEX IF NOT EXISTS refs_path ON refs(path);
CREATE INDEX IF NOT EXISTS refs_ref ON refs(ref);
CREATE INDEX IF NOT EXISTS names_path ON names(path);
CREATE INDEX IF NOT EXISTS names_exact ON names(exact);
CREATE INDEX IF NOT EXISTS names_folded ON names(folded);
"""


def _cache_dir() -> Path:
    explicit = os.environ.get("SAMVERKAN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "samverkan"


def index_path(root: Path | str) -> Path:
    """Where the index of a registry directory lives (one per resolved path)."""
    key = hashlib.sha256(str(Path(root).resolve()).encode()).hexdigest()[:24]
    return _cache_dir() / f"{key}.sqlite"


def code_version(folder: Path, seed: str = "") -> str:
    """What code made a cache: the `.py` files of a folder (and `seed`, what else made it).

    Named by each code file's name, size and modification time rather than its bytes, which
    every query would otherwise read: code that changes gets a new time, so a rebuild.
    """
    digest = hashlib.sha256(seed.encode())
    for path in sorted(folder.glob("*.py")):
        st = path.stat()
        digest.update(f"{path.name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:16]


def _code_version() -> str:
    """What the index was built by: the registry code itself (a change means rebuild)."""
    return f"{SCHEMA}:{code_version(_CODE)}"


# ---- the files the loader reads -------------------------------------------------------------


Signature = dict[str, tuple[int, int, int, int]]  # path -> size, mtime, ctime (ns), inode


def _role(rel: str) -> str:
    """What the loader reads a file as: "entity", "review" or "file" (sources and the rest)."""
    top = rel.split("/", 1)[0]
    if top == "reviews":
        return "review"
    if top != "sources" and rel.endswith(_ENTITY_SUFFIXES):
        return "entity"
    return "file"


# a folder as a scan lists it: its path from the root, where to look its files up (a descriptor,
# or the folder's own path where the system cannot look up by descriptor), and its files' names
Listed = tuple[str, "int | str", list[str]]
FOLDER_DESCRIPTORS = 64


def _listing(root: Path) -> list[Listed]:
    """Every folder under the registry but hidden ones, with the names of its files.

    Folders are opened as descriptors where the system allows it, so each file's stat is looked
    up relative to its folder rather than along its whole path: on a national registry this check
    is most of what a query costs. At most FOLDER_DESCRIPTORS are kept open (a registry of
    thousands of folders must not run out of them); the rest are looked up by path. The caller
    closes the descriptors (`_close`).
    """
    out: list[Listed] = []
    stack = [("", str(root))]
    by_fd = os.scandir in os.supports_fd and os.stat in os.supports_dir_fd
    opened = 0
    while stack:
        prefix, folder = stack.pop()
        fd = -1
        try:
            if by_fd and opened < FOLDER_DESCRIPTORS:
                fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
                opened += 1
            names = []
            with os.scandir(fd if fd >= 0 else folder) as listing:
                for entry in listing:
                    if entry.name[0] == ".":
                        continue
                    try:
                        if entry.is_dir(follow_symlinks=False):  # as the loader: links to folders are not followed
                            stack.append((f"{prefix}{entry.name}/", f"{folder}/{entry.name}"))
                            continue
                    except OSError:
                        pass
                    names.append(entry.name)
        except OSError:
            if fd >= 0:
                os.close(fd)
            continue
        out.append((prefix, fd if fd >= 0 else folder, names))
    return out


def _close(listed: list[Listed]) -> None:
    for _, where, _ in listed:
        if isinstance(where, int):
            os.close(where)


def _stat_share(listed: list[Listed], part: int = 0, parts: int = 1) -> Signature:
    """The stat data of the listed files, by path from the root; `part` of `parts`: every
    `parts`-th file of each folder from the `part`-th, for scans that run side by side."""
    out: Signature = {}
    for prefix, where, names in listed:
        for name in names[part::parts]:
            try:
                st = os.stat(name, dir_fd=where) if isinstance(where, int) else os.stat(f"{where}/{name}")
            except OSError:  # vanished, or a dangling link: unreadable, so the loader's problem to report
                out[prefix + name] = (-1, -1, -1, -1)
                continue
            out[prefix + name] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    return out


def _scan(root: Path) -> Signature:
    """The stat data of every file under the registry but hidden ones, by path from the root."""
    listed = _listing(root)
    try:
        return _stat_share(listed)
    finally:
        _close(listed)


class Scanned:
    """The stat data of a registry's files as one scan found them, and when that scan began.

    Kept as the bytes that scans in other processes sent (`blobs`, one per share of the files)
    or as the mapping a scan in this one made (`files`); each is made from the other only when
    asked for, since a query that finds nothing changed needs neither, only the digest.
    """

    def __init__(self, started: int, files: Signature | None = None, blobs: list[bytes] | None = None) -> None:
        self.started = started
        self._files, self._blobs = files, blobs

    @functools.cached_property
    def files(self) -> Signature:
        if self._files is not None:
            return self._files
        merged: Signature = {}
        for blob in self._blobs or []:
            merged.update(marshal.loads(blob))
        return merged

    @functools.cached_property
    def digest(self) -> str:
        digest = hashlib.sha256()
        for blob in self._blobs if self._blobs is not None else [marshal.dumps(self._files)]:
            digest.update(len(blob).to_bytes(8, "big") + blob)
        return digest.hexdigest()


def _scanned(root: Path) -> Scanned:
    started = time.time_ns()
    return Scanned(started, files=_scan(root))


Scan = Callable[[], Scanned]


def _fork_scan(listed: list[Listed], part: int, parts: int) -> tuple[int, int]:
    """A child process that looks at its share of the listed files and sends it; (pid, pipe to read)."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: scan, send, and leave without running the parent's exit work
        code = 1
        try:
            os.close(reader)
            with os.fdopen(writer, "wb") as out:
                out.write(marshal.dumps(_stat_share(listed, part, parts)))
            code = 0
        finally:
            os._exit(code)
    os.close(writer)
    return pid, reader


def start_scan(root: Path | str) -> Scan:
    """Scan a registry's files beside the caller, which goes on; the result when asked.

    A query spends most of its time looking at every file's stat data and importing the code
    that answers. On a national registry the scan takes longer than the imports, so a command
    starts it before it imports, in child processes that share the files between them (one per
    core, at most two), or in a thread where there is no fork or other threads run. The result
    is the files as they were when the command asked, which is what it must answer for.
    """
    resolved = Path(root).resolve()
    started = time.time_ns()
    if hasattr(os, "fork") and threading.active_count() == 1:
        parts = max(1, min(2, os.cpu_count() or 1))
        listed = _listing(resolved)  # once, here: each child looking at every folder cost as much again
        try:
            children = [_fork_scan(listed, part, parts) for part in range(parts)]
        finally:
            _close(listed)

        def from_children() -> Scanned:
            blobs, ok = [], True
            for pid, reader in children:
                with os.fdopen(reader, "rb") as inp:
                    blobs.append(inp.read())
                ok = os.waitpid(pid, 0)[1] == 0 and ok
            return Scanned(started, blobs=blobs) if ok and all(blobs) else _scanned(resolved)

        return from_children
    found: list[Signature] = []
    worker = threading.Thread(target=lambda: found.append(_scan(resolved)), daemon=True)
    worker.start()

    def from_thread() -> Scanned:
        worker.join()
        return Scanned(started, files=found[0]) if found else _scanned(resolved)

    return from_thread


_EARLY: dict[Path, tuple[int, Scan]] = {}


def scan_early(root: Path | str) -> None:
    """Begin the scan of a registry at a command's very start, before its code is imported.

    Only the console script does this, for the registry it was given; `early_scan` hands the
    scan to the first index opened on that folder, unless this process has written into a
    registry since (then the scan is out of date and a new one is made).
    """
    _EARLY[Path(root).resolve()] = (changes.count(), start_scan(root))


def early_scan(root: Path | str) -> Scan | None:
    """The scan begun by `scan_early` for this folder, once, if nothing was written since."""
    found = _EARLY.pop(Path(root).resolve(), None)
    return found[1] if found is not None and found[0] == changes.count() else None


def file_key(rel: str) -> str:
    """How a cross-file check names a file it looked for (a document's source text)."""
    return "file:" + unicodedata.normalize("NFC", rel)


def select_in(db: sqlite3.Connection, sql: str, values: Iterable[str]) -> Iterator[tuple[Any, ...]]:
    """Rows of `sql` (with one `{}` for the list of values) over many values, in batches."""
    values = sorted(set(values))
    for i in range(0, len(values), 900):  # well under SQLite's limit on parameters
        batch = values[i : i + 900]
        yield from db.execute(sql.format(",".join("?" * len(batch))), batch)


def file_hash(data: bytes) -> str:
    """The content key of a file."""
    return hashlib.sha256(data).hexdigest()


# ---- the index ------------------------------------------------------------------------------


class RegistryIndex:
    """An open, current index of one registry directory."""

    def __init__(self, root: Path, db: sqlite3.Connection) -> None:
        self.root = root
        self.db = db

    # ---- state -----------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @property
    def clean(self) -> bool:
        """Whether a from-scratch load would find no problem (as `validate` without quotes)."""
        return self.meta("clean") == "1"

    def problems(self) -> list[Problem]:
        """The problems a from-scratch load finds (read again from the files, with lines)."""
        if self.clean:
            return []
        from .validate import validate_path

        return validate_path(self.root, quotes=False)[1]

    # ---- updating --------------------------------------------------------------------------
    def update(self, scan: Scan | None = None) -> None:
        """Bring the index up to date with the files, re-reading only those that changed.

        The stat data of every file is compared with what was seen last time (one comparison
        when nothing changed); a file whose stat data differs is hashed, and parsed again only
        if its content differs. Stat data taken within two seconds of a change is not trusted
        (a second edit in the same tick keeps size and time), so such files are hashed again.
        `scan` is one started earlier by `start_scan`.
        """
        scanned = scan() if scan is not None else _scanned(self.root)
        if self.meta("clean") is not None and scanned.digest == self.meta("signature_digest"):
            return  # the same stat data, byte for byte, as the last update stored
        started, now = scanned.started, scanned.files
        db = self.db
        row = db.execute("SELECT value FROM meta WHERE key = 'signature'").fetchone()
        seen: Signature = marshal.loads(row[0]) if row else {}
        if now == seen and self.meta("clean") is not None:
            with db:  # (found in another order: this scan's digest is kept for next time)
                self._store_signature(now, scanned.digest)
            return
        suspect = [rel for rel, st in now.items() if seen.get(rel) != st]
        removed = [rel for rel in seen if rel not in now]
        known = {
            r[0]: r[1:]
            for r in select_in(db, "SELECT path, role, hash, declared FROM files WHERE path IN ({})", suspect + removed)
        }
        cold = not seen  # a new index: nothing to compare with, nothing to delete
        changed, hashes = self._changed(suspect, known, cold)
        from . import index_rows

        entity_rels = [rel for rel in changed if _role(rel) == "entity"]
        progress = Progress("Läser registret", len(entity_rels))
        parsed = in_workers(index_rows.read_entities, str(self.root), entity_rels, progress)
        if cold:  # written while the workers go on parsing, indexed when all is in
            with db:
                fresh = [self._store(p) for p in parsed]
            db.executescript(_INDEXES_SQL)
        else:
            fresh = list(parsed)

        ids = {known[rel][2] for rel in removed if rel in known and known[rel][2]}
        for p in fresh:
            old = known.get(p["path"])
            ids |= {i for i in (p["declared"], old[2] if old else None) if i}
        before = {} if cold else self._catalog(ids)
        gone = [rel for rel in removed if _role(rel) == "entity"] + [p["path"] for p in fresh]
        racy = started - _RACY_NS
        signature = {rel: (-1, *st[1:]) if max(st[1], st[2]) >= racy else st for rel, st in now.items()}
        with db:
            if not cold:
                for table in ("entities", "relations", "refs", "names"):
                    db.executemany(f"DELETE FROM {table} WHERE path = ?", [(rel,) for rel in gone])
                db.executemany("DELETE FROM files WHERE path = ?", [(rel,) for rel in removed])
                fresh = [self._store(p) for p in fresh]
            db.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
                [(rel, _role(rel), hashes[rel], True, None) for rel in changed if _role(rel) != "entity"],
            )
            # others' checks saw only whether an id exists and its kind (and a consultation's
            # questions): they are redone only for ids where that changed, and for changed files
            touched: set[str] = set()  # a cold build checks every entity anyway
            if not cold:
                touched = {i for i, entry in self._catalog(ids).items() if entry != before[i]}
                touched |= {file_key(rel) for rel in removed + changed if _role(rel) != "entity"}
            self._recheck(touched, [p["path"] for p in fresh if p["entity"]], cold=cold)
            self._reviews(changed=bool(gone) or any(_role(rel) == "review" for rel in changed + removed))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('clean', ?)", ("1" if self._is_clean() else "0",))
            self._store_signature(signature, scanned.digest if signature == now else None)

    def _store_signature(self, signature: Signature, digest: str | None) -> None:
        """What the files looked like, and the digest of the scan that saw them so: a later scan
        with the same digest saw the same (none when some stat data was too recent to trust)."""
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('signature', ?)", (marshal.dumps(signature),))
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('signature_digest', ?)", (digest,))

    def _changed(
        self, suspect: list[str], known: dict[str, tuple[Any, ...]], cold: bool
    ) -> tuple[list[str], dict[str, str | None]]:
        """Of the files whose stat data changed, those whose content did (and their hashes)."""
        changed: list[str] = []
        hashes: dict[str, str | None] = {}
        for rel in suspect:
            if cold and _role(rel) == "entity":
                changed.append(rel)  # hashed by the worker that reads it
                continue
            try:
                digest: str | None = file_hash((self.root / rel).read_bytes())
            except OSError:
                digest = None
            old = known.get(rel)
            if old is None or old[0] != _role(rel) or old[1] != digest or digest is None:
                changed.append(rel)  # (otherwise touched, or stat data too recent: same content)
                hashes[rel] = digest
        return changed, hashes

    def _store(self, p: dict[str, Any]) -> dict[str, Any]:
        """Write the rows of one file read by `index_rows.read_entity`; keep what the update
        needs afterwards (not the rows, which on a national registry fill gigabytes)."""
        db = self.db
        db.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
            (p["path"], "entity", p["hash"], p["ok"], p["declared"]),
        )
        if "entity" in p:
            db.execute("INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)", p["entity"])
            db.executemany("INSERT INTO relations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", p["relations"])
            db.executemany("INSERT INTO names VALUES (?, ?, ?, ?, ?)", p["names"])
        return {"path": p["path"], "declared": p["declared"], "entity": "entity" in p}

    def _recheck(self, touched: set[str], fresh: list[str], cold: bool) -> None:
        """Redo the cross-file checks of new entities and of every entity that looked at a changed id."""
        db = self.db
        targets = set(fresh)
        if touched:
            targets |= {r[0] for r in select_in(db, "SELECT DISTINCT path FROM refs WHERE ref IN ({})", touched)}
            for key in (k for k in touched if k.startswith("file:")):  # a folder, or a link to one
                within = "SELECT DISTINCT path FROM refs WHERE ref >= ? AND ref < ?"
                targets |= {r[0] for r in db.execute(within, (key + "/", key + "0"))}  # "0" follows "/"
        if not targets:
            return
        if cold:
            items = [(r[0], r[1]) for r in db.execute("SELECT path, data FROM entities")]
        else:
            found = (
                db.execute("SELECT path, data FROM entities WHERE path = ?", (rel,)).fetchone()
                for rel in sorted(targets)
            )
            items = [(row[0], row[1]) for row in found if row]
        from . import index_rows

        if len(items) >= PARALLEL_FROM:  # many to check: every worker gets what each id is
            sql = "SELECT id, kind, CASE WHEN kind = 'remiss' THEN data END FROM entities ORDER BY path DESC"
            progress = Progress("Kontrollerar hänvisningar", len(items))
            with index_rows.catalog({r[0]: (r[1], r[2]) for r in db.execute(sql)}):
                results = list(in_workers(index_rows.cross_check_chunk, str(self.root), items, progress))
        else:
            results = index_rows.cross_check(self.root, items, self._lookup)
        db.executemany("DELETE FROM refs WHERE path = ?", [(rel,) for rel, _, _ in results])
        db.executemany("UPDATE entities SET cross_ok = ? WHERE path = ?", [(ok, rel) for rel, ok, _ in results])
        db.executemany("INSERT INTO refs VALUES (?, ?)", [(rel, ref) for rel, _, refs in results for ref in refs])

    def _lookup(self, entity_id: str) -> Any:
        row = self.db.execute(
            "SELECT kind, data FROM entities WHERE id = ? ORDER BY path LIMIT 1", (entity_id,)
        ).fetchone()
        from .index_rows import known

        return None if row is None else known(entity_id, row[0], row[1])

    def _catalog(self, ids: set[str]) -> dict[str, tuple[Any, ...] | None]:
        """What a cross-file check can see of each id: whether it exists, its kind, a consultation's data."""
        out: dict[str, tuple[Any, ...] | None] = dict.fromkeys(ids)
        sql = (
            "SELECT id, kind, CASE WHEN kind = 'remiss' THEN data END FROM entities WHERE id IN ({}) ORDER BY path DESC"
        )
        for entity_id, kind, data in select_in(self.db, sql, ids):
            out[entity_id] = (kind, data)  # the first file in path order wins, as in lookups
        return out

    def _reviews(self, changed: bool) -> None:
        if not changed and self.meta("reviews_ok") is not None:
            return
        from .reviews import REVIEW_FOLDER, load_reviews

        if not (self.root / REVIEW_FOLDER).is_dir():
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('reviews_ok', '1')")
            return

        known = {r[0] for r in self.db.execute("SELECT DISTINCT folded FROM names")}
        ok = not load_reviews(self.root, known)[1]
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('reviews_ok', ?)", ("1" if ok else "0",))

    def _is_clean(self) -> bool:
        checks = (
            "SELECT 1 FROM files WHERE role = 'entity' AND NOT ok",
            "SELECT 1 FROM entities WHERE NOT cross_ok",
            "SELECT 1 FROM entities GROUP BY id HAVING COUNT(*) > 1",
            "SELECT 1 FROM names WHERE is_name AND folded != '' GROUP BY folded HAVING COUNT(DISTINCT id) > 1",
        )
        if any(self.db.execute(sql).fetchone() for sql in checks):
            return False
        return self.meta("reviews_ok") == "1"


# ---- opening ----------------------------------------------------------------------------------


def _connect(path: Path | str) -> sqlite3.Connection:
    db = sqlite3.connect(str(path), timeout=60)
    if str(path) != ":memory:":
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
    return db


def _fits(db: sqlite3.Connection, root: Path, version: str) -> bool:
    """Whether an existing database is an index of this registry by this code."""
    try:
        meta = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('root', 'version')"))
    except sqlite3.DatabaseError:
        return False
    return meta == {"root": str(root), "version": version}


def _create(db: sqlite3.Connection, root: Path, version: str, indexes: bool = True) -> None:
    db.executescript(_TABLES_SQL + (_INDEXES_SQL if indexes else ""))
    with db:
        db.executemany("INSERT INTO meta VALUES (?, ?)", [("root", str(root)), ("version", version)])


def open_index(root: Path | str, scan: Scan | None = None) -> RegistryIndex:
    """The index of a registry directory, brought up to date with its files.

    A missing, unreadable, foreign or outdated index is rebuilt (into a new file, swapped in
    when complete); a cache directory that cannot be written costs speed, not answers. `scan`
    is one of the same folder started earlier by `start_scan`.
    """
    root = Path(root).resolve()
    version = _code_version()
    path = index_path(root)
    db: sqlite3.Connection | None = None
    if path.exists():
        try:
            db = _connect(path)
            if not _fits(db, root, version):
                db.close()
                db = None
        except sqlite3.DatabaseError:
            db = None
    if db is None:
        db = _build(root, version, path)
        scan = None  # the build looked at every file itself, after that scan began
    index = RegistryIndex(root, db)
    try:
        index.update(scan)
    except sqlite3.DatabaseError:  # damaged under us: start again from the files
        db.close()
        index = RegistryIndex(root, _build(root, version, path))
        index.update()
    return index


def _build(root: Path, version: str, path: Path) -> sqlite3.Connection:
    """A new, complete index; written beside the old one and renamed over it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
        db = _connect(tmp)
        # a file nobody reads until it is renamed into place: no journal, no waiting for the disk
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA cache_size = -262144")
        _create(db, root, version, indexes=False)  # the first update makes them
        index = RegistryIndex(root, db)
        index.update()
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        for stale in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
        os.replace(tmp, path)
        Path(f"{tmp}-wal").unlink(missing_ok=True)
        Path(f"{tmp}-shm").unlink(missing_ok=True)
        return _connect(path)
    except (OSError, sqlite3.DatabaseError):
        with contextlib.suppress(NameError, OSError):
            tmp.unlink(missing_ok=True)
        db = _connect(":memory:")
        _create(db, root, version)
        return db
