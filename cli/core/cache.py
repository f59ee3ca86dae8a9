"""A result cache in one SQLite file, shared safely by concurrent mujaz processes.

Two tables: whole results (a brief, a summary, a translated article) and single
sentence translations, since news repeats sentences across articles. Keys hash
everything that decides the output: the task, the text, the models (id and
revision, or a local directory's fingerprint), the engine, the settings, and
the code that makes results, mujaz's own and the model libraries' versions
(code_fingerprint).
A corrupt file is reported, set aside and rebuilt; the cache is never fatal.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import glob
import hashlib
import json
import os
import sqlite3
import stat
import time
from collections import Counter
from pathlib import Path

from mujaz.models.base import Translation, Translator

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS sentences (key TEXT PRIMARY KEY, value TEXT NOT NULL, created REAL NOT NULL);
"""
# Marks an SQLite file as a cache of mujaz's (PRAGMA application_id, "mujz"): another program's
# database, named by a mistaken MUJAZ_CACHE, was given mujaz's tables, and `cache clear` emptied a
# table of its that had the name "results".
APPLICATION_ID = 0x6D756A7A
COLUMNS = ["key", "value", "created"]
BUSY_TIMEOUT_MS = 30_000
OPEN_RETRY_S = 10.0


def set_aside(path: Path) -> list[Path]:
    """The damaged caches moved aside beside the cache at `path` (and their logs), kept for
    inspection until `mujaz cache clear`."""
    return sorted(path.parent.glob(f"{glob.escape(path.name)}.corrupt-*"))


def default_path() -> Path:
    """$MUJAZ_CACHE, else cache.sqlite in the user cache folder."""
    configured = os.environ.get("MUJAZ_CACHE")
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return platformdirs.user_cache_path("mujaz") / "cache.sqlite"


@functools.cache
def code_fingerprint() -> str:
    """A digest of the code that turns an article into a result: the source of mujaz.core and
    mujaz.models, and the versions of the libraries that run the models.

    Part of every cache key, so that results cached by another version of that code
    (a changed segmenter, summariser or decoding rule, an upgraded transformers whose
    generation differs) are never served. It replaces a counter that had to be bumped by
    hand and once was not; this one follows the code. Versions come from the installed
    packages' metadata: nothing heavy is imported for a cache lookup.
    """
    from importlib import metadata

    import mujaz.core
    import mujaz.models

    hashed = hashlib.sha256()
    for package in (mujaz.core, mujaz.models):
        for file in sorted(Path(package.__file__).parent.glob("*.py")):
            hashed.update(f"{package.__name__}.{file.stem}\0".encode())
            hashed.update(file.read_bytes())
    for library in RESULT_LIBRARIES:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "absent"
        hashed.update(f"{library}=={version}\0".encode())
    return hashed.hexdigest()[:16]


# What runs the models and so shapes a result, besides mujaz's own code.
RESULT_LIBRARIES = ("torch", "transformers", "tokenizers", "sentencepiece", "ctranslate2")


def digest(*parts: object) -> str:
    """A stable key for JSON-able parts."""
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def _disk_full(error: Exception | str | None) -> bool:
    return (isinstance(error, sqlite3.Error) and "disk is full" in str(error)
            or isinstance(error, OSError) and error.errno == errno.ENOSPC)


def _is_foreign(path: Path) -> bool:
    """Whether a file is there that is not an SQLite database (whose every file starts so, a damaged
    cache's too): a MUJAZ_CACHE naming another file, notes.txt, which was moved aside and a database
    put in its place. It is left as it is, and no cache used."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False  # a FIFO or /dev/stdin would be read (and a batch's input with it): SQLite refuses it
        with path.open("rb") as handle:
            start = handle.read(16)
    except OSError:
        return False  # nothing there yet (or unreadable: the opening says so)
    return bool(start) and start != b"SQLite format 3\x00"


NOT_A_CACHE = "it is not an SQLite file, so no cache of mujaz's; left as it is — remove it, or set MUJAZ_CACHE to another file"


class ForeignDatabase(Exception):
    """An SQLite database that is no cache of mujaz's: its tables, for the warning."""

    def __str__(self) -> str:
        return (f"it is another program's SQLite database (tables: {self.args[0]}), no cache of mujaz's; left as it "
                "is — set MUJAZ_CACHE to another file")


def _foreign_tables(db: sqlite3.Connection) -> str | None:
    """None when the database is a cache of mujaz's or can become one: marked so, or unmarked and either
    a new file (no tables) or a cache of a mujaz before the mark (both of mujaz's tables, which every
    mujaz made together, in mujaz's shape: one "results" table of key, value and created is a common
    key-value layout, another program's as likely). Else what it holds."""
    marked = db.execute("PRAGMA application_id").fetchone()[0]
    if marked == APPLICATION_ID:
        return None
    tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    ours = not tables or (tables == ["results", "sentences"] and all(
        [row[1] for row in db.execute(f"PRAGMA table_info({name})")] == COLUMNS for name in tables))
    return None if marked == 0 and ours else ", ".join(tables) or "none"


def not_used(path: Path, why: Exception | str) -> str:
    """The warning a cache that cannot be used gets: `cache info` and `clear` read it too."""
    return f"cache {path} not used ({why})"


def cannot_be_made(path: Path) -> str | None:
    """Why no cache can be made at `path`, which is not there: a folder on its way is a file, or the
    nearest folder there cannot be written to, or a link on its way leads nowhere. None when it can be
    (as far as can be told)."""
    for folder in path.parents:
        if folder.is_symlink() and not folder.exists():  # mkdir would say only "[Errno 17] File exists"
            return f"{folder} is a link to {os.readlink(folder)}, which is not there"
        if folder.exists():
            if not folder.is_dir():
                return f"{folder} is a file, not a folder"
            if not os.access(folder, os.W_OK | os.X_OK):
                return f"{folder} cannot be written to"
            return None
    return None


class Cache:
    def __init__(self, path: Path | None = None, warn=None):
        self.path = path or default_path()
        self.warn = warn or (lambda message: None)
        # Lookups and what they found, by table: "results" (an item's whole output) and "sentences"
        # (a translated sentence) are counted apart, as a run's closing line says them.
        self.lookups: Counter[str] = Counter()
        self.found: Counter[str] = Counter()
        self._identity: tuple[int, int] | None = None  # the file this connection opened (device, inode)
        self.failure: Exception | str | None = None  # why it is not used, when it is not
        self._db: sqlite3.Connection | None = None
        self._db = self._open()

    def _open(self) -> sqlite3.Connection | None:
        try:
            if self.path.is_dir():  # MUJAZ_CACHE names a file; SQLite would say only "unable to open"
                return self._give_up("it is a folder; MUJAZ_CACHE names the cache's file")
            if _is_foreign(self.path):  # before the lock, which would leave a file beside it
                return self._give_up(NOT_A_CACHE)
            if not self.path.exists() and (reason := cannot_be_made(self.path)):
                return self._give_up(reason)  # not "[Errno 17] File exists: 'notes.txt'", from mkdir
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with _one_at_a_time(self.path):
                self._identity = _file_identity(self.path)
                try:
                    return self._connect()
                except sqlite3.DatabaseError as error:
                    if _damaged(error):
                        return self._rebuild_now(error)
                    raise
        except sqlite3.DatabaseError as error:
            # Locked for longer than the busy timeout, or an unwritable place:
            # transient or not ours to fix. Work on without a cache.
            return self._give_up(error)
        except (OSError, ForeignDatabase) as error:
            return self._give_up(error)

    def _rebuild(self, error: sqlite3.DatabaseError) -> sqlite3.Connection | None:
        """A damaged page met by a query, after the opening: the damaged file's case."""
        if self._db is not None:
            self._db.close()
            self._db = None
        try:
            with _one_at_a_time(self.path):
                return self._rebuild_now(error)
        except OSError as again:
            return self._give_up(again)

    def _rebuild_now(self, error: sqlite3.DatabaseError) -> sqlite3.Connection | None:
        """A damaged file: kept for inspection under a name of its own, and a new cache started in
        its place. Called holding _one_at_a_time: no other process opens or moves it meanwhile."""
        # Named by time and process: two processes meeting the damage each keep what they move.
        # One that finds another file there than the one it met damaged (another process has
        # rebuilt it) opens that one and moves nothing.
        if _is_foreign(self.path):  # replaced since the opening looked
            return self._give_up(NOT_A_CACHE)
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
        if _file_identity(self.path) == self._identity:
            self.warn(f"cache {self.path} is unreadable ({error}); moved to {aside.name} and rebuilt")
            for suffix in ("", "-wal", "-shm"):
                try:
                    Path(f"{self.path}{suffix}").rename(Path(f"{aside}{suffix}"))
                except OSError:
                    pass  # absent, or another process moved it first
        try:
            return self._connect()
        except (sqlite3.Error, OSError, ForeignDatabase) as again:
            return self._give_up(again)

    @property
    def in_use(self) -> bool:
        return self._db is not None

    def _give_up(self, error: Exception | str) -> None:
        self.warn(not_used(self.path, error))
        self._db = None
        self.failure = error
        return None

    def _connect(self) -> sqlite3.Connection:
        # Two processes opening a new cache at once: switching it to WAL needs an exclusive lock,
        # and SQLite may answer "locked" at once there rather than call the busy handler (it would
        # risk a deadlock), so the opening is tried again for a while, as the timeout would wait.
        deadline = time.monotonic() + OPEN_RETRY_S
        while True:
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            try:
                db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                if (tables := _foreign_tables(db)) is not None:  # before anything is written to it
                    raise ForeignDatabase(tables)
                # WAL lets readers and one writer work at once across processes.
                if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    db.execute("PRAGMA journal_mode = WAL")
                db.executescript(SCHEMA)
                if db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute("SELECT count(*) FROM results").fetchone()  # fails here if the file is damaged
                self._identity = _file_identity(self.path)
                return db
            except sqlite3.OperationalError as error:
                db.close()
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
            except BaseException:
                db.close()
                raise

    def _safely(self, action, fallback):
        """Run a database action; a cache that fails mid-run is dropped, never fatal. A damaged
        page met only now (the opening checks the first ones) is the damaged file's case:
        set aside, and the action done again on the new cache."""
        for attempt in range(2):
            if self._db is None:
                return fallback
            try:
                return action(self._db)
            except sqlite3.Error as error:
                if attempt == 0 and isinstance(error, sqlite3.DatabaseError) and _damaged(error):
                    self._db = self._rebuild(error)
                    continue
                self._give_up(error)
        return fallback

    def get(self, table: str, key: str):
        if self._db is None:  # not used (given up): no lookup to count as a miss
            return None
        row = self._safely(lambda db: db.execute(f"SELECT value FROM {table} WHERE key = ?", (key,)).fetchone(), None)
        value = _value(table, row[0]) if row is not None else None
        self.lookups[table] += 1
        if value is None:
            return None
        self.found[table] += 1
        return value

    def get_many(self, table: str, keys: list[str]) -> dict[str, object]:
        if self._db is None:
            return {}
        unique = list(dict.fromkeys(keys))

        def select(db) -> dict[str, object]:
            found = {}
            for start in range(0, len(unique), 500):  # SQLite's limit on bound parameters
                chunk = unique[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, raw in db.execute(f"SELECT key, value FROM {table} WHERE key IN ({marks})", chunk):
                    if (value := _value(table, raw)) is not None:
                        found[key] = value
            return found

        found = self._safely(select, {})
        self.lookups[table] += len(keys)
        self.found[table] += sum(1 for key in keys if key in found)
        return found

    def put_many(self, table: str, items: dict[str, object]) -> None:
        if not items:
            return
        now = time.time()
        rows = [(key, json.dumps(value, ensure_ascii=False), now) for key, value in items.items()]

        def insert(db) -> None:
            with db:  # one transaction
                db.execute("BEGIN IMMEDIATE")
                db.executemany(f"INSERT OR REPLACE INTO {table} (key, value, created) VALUES (?, ?, ?)", rows)

        self._safely(insert, None)

    def put(self, table: str, key: str, value: object) -> None:
        self.put_many(table, {key: value})

    def info(self) -> dict:
        def count(db) -> dict:
            # The whole file checked (the opening reads its first pages only): damage is found
            # here, and the file set aside as a run would, rather than reported as a healthy cache.
            check = db.execute("PRAGMA quick_check(1)").fetchone()[0]
            if check != "ok":
                raise sqlite3.DatabaseError(f"database disk image is malformed: {check}")
            return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("results", "sentences")}

        counts = self._safely(count, {"results": None, "sentences": None})
        # null with the counts when it is no cache to use (a folder, another program's file): not its size
        size = (sum(Path(f"{self.path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{self.path}{s}").is_file())
                if self.in_use else None)
        return {"path": str(self.path), "results": counts["results"], "sentences": counts["sentences"], "bytes": size}

    def clear(self) -> bool:
        """Empty both tables, or, on a full disk, remove the cache's files: emptying writes to the log
        first, and `cache clear`, the way to free the room, failed just when it was wanted. Never
        removed when it is locked (another run is writing it). False when it was not cleared (self.warn
        said why)."""
        def delete(db) -> bool:
            with db:
                db.execute("BEGIN IMMEDIATE")
                db.execute("DELETE FROM results")
                db.execute("DELETE FROM sentences")
            db.execute("VACUUM")
            return True

        return self._safely(delete, False) or (_disk_full(self.failure) and self._remove_files())

    def forget_older_than(self, days: float) -> dict[str, int] | None:
        """Remove what was cached over `days` days ago: results of an older mujaz, whose code no key
        of today's matches, would stay for ever. How many of each were removed; None when the cache
        could not be written (self.warn said why)."""
        before = time.time() - days * 86400

        def delete(db) -> dict[str, int]:
            with db:
                db.execute("BEGIN IMMEDIATE")
                removed = {table: db.execute(f"DELETE FROM {table} WHERE created < ?", (before,)).rowcount
                           for table in ("results", "sentences")}
            db.execute("VACUUM")
            return removed

        return self._safely(delete, None)

    def _remove_files(self) -> bool:
        """The database, its log and its shared memory removed, when the file is a cache of mujaz's
        (never a MUJAZ_CACHE naming notes.txt). A process that has it open goes on with the removed
        files, unseen; the next run starts a new cache."""
        self.close()
        self._db = None
        if not self.path.is_file() or _is_foreign(self.path):
            return False
        try:
            with _one_at_a_time(self.path):
                for name in (self.path.name, self.path.name + "-wal", self.path.name + "-shm"):
                    with contextlib.suppress(FileNotFoundError):
                        self.path.with_name(name).unlink()
        except OSError as error:
            self.warn(f"cache {self.path} not removed ({error})")
            return False
        return True

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


@contextlib.contextmanager
def _one_at_a_time(path: Path):
    """An exclusive lock, across processes, on opening the cache file and on moving a damaged one
    aside: one process moving the file (and its -wal, -shm) while another opens it would leave
    the other writing into the moved file, or a new file beside the old one's log. Where there
    is no flock (Windows) or the lock file cannot be made, the opening goes on unlocked."""
    try:
        import fcntl

        if path.exists() and not path.is_file():
            raise OSError("not a file")  # /dev/null, a folder: it will not be used; no lock file beside it
        handle = open(path.with_name(path.name + ".lock"), "a")
    except (ImportError, OSError):
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _damaged(error: sqlite3.DatabaseError) -> bool:
    return "not a database" in str(error) or "malformed" in str(error)


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


# What each table's values are: a result record; a translated sentence, and whether the model ended it.
_VALUE_SHAPES = {
    "results": lambda value: isinstance(value, dict),
    "sentences": lambda value: (isinstance(value, dict) and isinstance(value.get("text"), str)
                                and isinstance(value.get("ended"), bool)),
}


def _value(table: str, raw: str):
    """A stored value, or None for one that is damaged (cut, or of another shape): a miss, not a crash."""
    try:
        value = json.loads(raw)
    except (ValueError, TypeError):
        return None
    return value if _VALUE_SHAPES[table](value) else None


class CachedTranslator(Translator):
    """A Translator in front of another, looking sentences up in the cache first.

    `load` is called only when some sentence is missing, so a second run over the
    same input never loads the model at all.
    """

    def __init__(self, load, identity: dict, ref, cache: Cache):
        self._load = load
        self._inner = None
        self.identity = identity
        self._ref = ref  # what results name as the translator while the model is not loaded
        self.cache = cache

    @property
    def ref(self):
        return self._inner.ref if self._inner is not None else self._ref

    def decoding(self) -> dict:
        """The model's decoding, once it is loaded (a run the cache answered whole loaded none)."""
        return self._inner.decoding() if self._inner is not None else {}

    def translate_noted(self, texts: list[str]) -> list[Translation]:
        keys = [digest("sentence", self.identity, text) for text in texts]
        found = self.cache.get_many("sentences", keys)
        missing = [i for i, key in enumerate(keys) if key not in found and texts[i].strip()]
        if missing:
            if self._inner is None:
                self._inner = self._load()
            fresh = self._inner.translate_noted([texts[i] for i in missing])
            new = {keys[i]: {"text": translation.text, "ended": translation.ended} for i, translation in zip(missing, fresh)}
            self.cache.put_many("sentences", new)
            found.update(new)
        return [Translation(found[key]["text"], found[key]["ended"]) if text.strip() else Translation("")
                for key, text in zip(keys, texts)]
