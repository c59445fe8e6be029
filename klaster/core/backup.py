"""Backup and restore of a whole installation (issue 12 point 8): `klaster backup FILE`,
`klaster restore FILE --yes` and the nightly backup job.

One archive (.tar.gz) holds:

- ``manifest.json`` — the format, when and from what it was made (the product's version and
  commit when known, the database's vendor, the migrations applied per app) and the SHA-256 and
  size of every other file in the archive;
- the database — on SQLite a copy made with SQLite's online backup API from the live
  connection (consistent while the server and the worker write), on PostgreSQL a ``pg_dump
  --format=custom`` file;
- ``media/…`` — every uploaded file (MEDIA_ROOT: documents, materials, attachments), and
  ``mailbox/…`` — the demo mailbox's caught messages (DEMO_MAILBOX_DIR), the other folder of
  files the product keeps (:data:`FOLDERS`). The secret key is not in the archive: a backup
  travels to other disks and machines, and whoever holds the key can forge sessions.

A restore reads the whole archive before it changes anything: every member's name is checked
(no absolute paths, no ``..``, no links or devices — a tar slip is refused), sizes are bounded,
every checksum is compared, the vendor must be the installation's and no migration may be newer
than the code knows. Then the database is replaced (SQLite: the backup API the other way;
PostgreSQL: ``pg_restore --clean --if-exists --no-owner`` in one transaction, then the tables the
archive does not have — made by later migrations — dropped, so that a later ``migrate`` makes them
again) and the folders put in place — the files that were there are kept beside, in
``MEDIA_ROOT.before-restore-<time>``, nothing deleted.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "klaster-backup/1"
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA = "media"
#: the folders of files the product keeps (settings' *_ROOT/*_DIR): name in the archive → setting.
#: Not STATIC_ROOT (the code's own files), nor KLASTER_BACKUP_DIR (backups of backups).
FOLDERS = {MEDIA: "MEDIA_ROOT", "mailbox": "DEMO_MAILBOX_DIR"}
#: an archive is refused above these bounds, before anything is extracted
MAX_MEMBERS = 200_000
MAX_MEMBER_BYTES = 20 * 1024**3
MAX_TOTAL_BYTES = 50 * 1024**3
MAX_MANIFEST_BYTES = 64 * 1024**2
#: libpq's connection keywords among the database's OPTIONS (sslmode=require in DATABASE_URL);
#: the rest (isolation_level, pool, …) are psycopg's, not pg_dump's
LIBPQ_OPTIONS = frozenset(
    {
        "sslmode",
        "sslrootcert",
        "sslcert",
        "sslkey",
        "sslcrl",
        "connect_timeout",
        "options",
        "application_name",
        "target_session_attrs",
        "gssencmode",
        "channel_binding",
        "passfile",
        "service",
    }
)


class BackupError(Exception):
    """A backup or restore refused, with the reason in words an operator reads."""


@dataclass(frozen=True)
class Made:
    path: Path
    files: int
    bytes: int


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _vendor() -> str:
    return connection.vendor


def _applied() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        out.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(out.items())}


def _version() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    try:
        out["version"] = version("klaster")
    except PackageNotFoundError:
        out["version"] = ""
    git = shutil.which("git")
    if git is None:
        out["commit"] = ""
        return out
    try:
        out["commit"] = subprocess.run(  # noqa: S603 — a fixed command, no outside input
            [git, "rev-parse", "HEAD"],
            cwd=getattr(settings, "PROJECT_DIR", None),
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        out["commit"] = ""
    return out


def _conninfo_value(value: object) -> str:
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore's connection for the default database — a libpq connection string with
    DATABASE_URL's host, port, user, database and SSL options — and the environment carrying its
    password (never on the command line)."""
    db = settings.DATABASES["default"]
    parts = {"dbname": db["NAME"], "host": db.get("HOST"), "port": db.get("PORT")}
    parts["user"] = db.get("USER")
    options = db.get("OPTIONS") or {}
    parts.update({k: v for k, v in options.items() if k in LIBPQ_OPTIONS})
    conninfo = " ".join(f"{k}={_conninfo_value(v)}" for k, v in parts.items() if v)
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return ["--dbname", conninfo], env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"Nie znaleziono programu {name} (PostgreSQL client): zainstaluj pakiet "
            "postgresql-client w wersji serwera."
        )
    return found


def _dump_database(folder: Path) -> Path:
    if _vendor() == "sqlite":
        target = folder / SQLITE_FILE
        if connection.in_atomic_block:
            # the backup API would wait forever for this connection's own write lock
            raise BackupError("Kopii bazy SQLite nie robi się wewnątrz otwartej transakcji.")
        connection.ensure_connection()
        source = connection.connection
        dest = sqlite3.connect(str(target))
        try:
            source.backup(dest)  # SQLite's online backup API: consistent while others write
        finally:
            dest.close()
        return target
    if _vendor() == "postgresql":
        target = folder / PG_FILE
        args, env = _pg_env()
        done = subprocess.run(  # noqa: S603 — our settings' database, no outside input
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_dump nie powiódł się: {done.stderr.strip()}")
        return target
    raise BackupError(f"Kopia zapasowa bazy {_vendor()} nie jest obsługiwana.")


def _folders() -> dict[str, Path]:
    """Name in the archive → the installation's folder, for every folder of :data:`FOLDERS`."""
    return {name: Path(getattr(settings, setting)) for name, setting in FOLDERS.items()}


class _Hashing(io.RawIOBase):
    """A file read through, its SHA-256 and length taken of exactly what was read (what went
    into the archive, even if the file changes meanwhile)."""

    def __init__(self, f: BinaryIO) -> None:
        self._f = f
        self.sha256 = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        data = self._f.read(n)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _add(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any] | None:
    """``path`` into the archive as ``name``, with the size it had when opened (an upload still
    being written goes in as far as it was, its checksum matching); its checksum, or None when
    it was deleted before it could be read. Django's storage never rewrites a file in place, so
    one cannot shrink under us; if it does, tarfile's "unexpected end of data" fails the backup
    (the nightly job tries again)."""
    try:
        f = path.open("rb")
    except FileNotFoundError:
        return None
    with f:
        info = tar.gettarinfo(fileobj=f, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        reader = _Hashing(f)
        tar.addfile(info, reader)
    return {"sha256": reader.sha256.hexdigest(), "size": reader.size}


def backup_make(path: Path | str) -> Made:
    """Write the archive to ``path``: through a temporary file beside it, renamed when whole (a
    failed backup leaves nothing that looks like one). The database's copy is made in a
    temporary folder beside it too: /tmp is often small, and the target's disk was chosen for
    backups. The members are hashed as they are written, the manifest comes last."""
    path = Path(path).absolute()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    try:
        with tempfile.TemporaryDirectory(prefix=".klaster-backup-", dir=path.parent) as tmp:
            database = _dump_database(Path(tmp))
            # the migrations as the copy has them: read right after it
            applied = _applied()
            listed: dict[str, dict[str, Any]] = {}
            with tarfile.open(partial, "w:gz") as tar:
                for name, source in [(database.name, database), *_folder_files()]:
                    entry = _add(tar, name, source)
                    if entry is not None:
                        listed[name] = entry
                manifest = {
                    "format": FORMAT,
                    "created_at": timezone.now().isoformat(),
                    **_version(),
                    "vendor": _vendor(),
                    "migrations": applied,
                    "folders": FOLDERS,
                    "files": listed,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(timezone.now().timestamp())
                info.mode = 0o600
                tar.addfile(info, io.BytesIO(data))
            os.chmod(partial, 0o600)  # it holds every member's data and the password hashes
            os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return Made(path, len(listed), path.stat().st_size)


def _folder_files() -> list[tuple[str, Path]]:
    out = []
    for name, root in _folders().items():
        if root.is_dir():
            for item in sorted(root.rglob("*")):
                if item.is_file() and not item.is_symlink():
                    out.append((f"{name}/{item.relative_to(root).as_posix()}", item))
    return out


# --- restore -----------------------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    p = PurePosixPath(name)
    return (
        bool(name)
        and not p.is_absolute()
        and ".." not in p.parts
        and "\\" not in name
        and ":" not in p.parts[0]  # C:… on Windows
        and p.as_posix() == name  # no "./", "//" or trailing "/": one spelling per member
    )


def _check_members(members: list[tarfile.TarInfo]) -> None:
    """Refuse (BackupError) any member a backup does not write, before anything is extracted."""
    if len(members) > MAX_MEMBERS:
        raise BackupError(f"Archiwum ma za dużo plików (ponad {MAX_MEMBERS}) — odmowa.")
    total = 0
    seen: set[str] = set()
    for m in members:
        if not _safe_name(m.name):
            raise BackupError(f"Niebezpieczna ścieżka w archiwum: {m.name!r} — odmowa.")
        if not m.isfile():
            # links (symbolic or hard), folders, devices: a backup writes regular files only
            raise BackupError(f"W archiwum jest coś, co nie jest plikiem: {m.name!r} — odmowa.")
        if m.name in seen:
            raise BackupError(f"Plik {m.name!r} jest w archiwum dwa razy — odmowa.")
        seen.add(m.name)
        if m.size > MAX_MEMBER_BYTES:
            raise BackupError(f"Plik {m.name!r} w archiwum jest za duży ({m.size} B) — odmowa.")
        total += m.size
        if total > MAX_TOTAL_BYTES:
            raise BackupError(f"Archiwum jest za duże (ponad {MAX_TOTAL_BYTES} B) — odmowa.")


def backup_read(path: Path | str, into: Path) -> dict[str, Any]:
    """Check the archive whole and extract it into ``into``; returns its manifest. Refuses (with
    BackupError) anything not exactly what a backup writes; ``into`` is the only place written."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Nie ma pliku {path}.")
    try:
        tar = tarfile.open(path, "r:gz")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"To nie jest archiwum kopii zapasowej Klastra: {exc}") from None
    try:
        with tar:
            return _read(tar, into)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"Archiwum jest uszkodzone: {exc}") from None


def _read(tar: tarfile.TarFile, into: Path) -> dict[str, Any]:
    members = tar.getmembers()
    _check_members(members)
    names = {m.name: m for m in members}
    if MANIFEST not in names or names[MANIFEST].size > MAX_MANIFEST_BYTES:
        raise BackupError("W archiwum nie ma opisu kopii (manifest.json).")
    raw = tar.extractfile(names[MANIFEST])
    assert raw is not None  # noqa: S101 — a regular file, checked above
    try:
        manifest = json.loads(raw.read().decode("utf-8"))
    except ValueError:
        raise BackupError("Opis kopii (manifest.json) jest uszkodzony.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("To nie jest kopia zapasowa Klastra w znanym formacie.")
    listed = manifest.get("files")
    if not isinstance(listed, dict) or set(listed) != set(names) - {MANIFEST}:
        raise BackupError("Pliki w archiwum nie zgadzają się z jego opisem — odmowa.")
    into.mkdir(parents=True, exist_ok=True)
    for name, m in names.items():
        if name == MANIFEST:
            continue
        entry = listed[name]
        if not isinstance(entry, dict) or entry.get("size") != m.size:
            raise BackupError(f"Rozmiar się nie zgadza: {name} — archiwum uszkodzone.")
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        source = tar.extractfile(m)
        assert source is not None  # noqa: S101 — a regular file, checked above
        h = hashlib.sha256()
        with target.open("wb") as out:
            for chunk in iter(functools.partial(source.read, 1 << 20), b""):
                h.update(chunk)
                out.write(chunk)
        if h.hexdigest() != entry.get("sha256"):
            raise BackupError(f"Suma kontrolna się nie zgadza: {name} — archiwum uszkodzone.")
    return manifest


def _known_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _check_compatible(manifest: dict[str, Any]) -> None:
    if manifest.get("vendor") != _vendor():
        raise BackupError(
            f"Kopia pochodzi z bazy {manifest.get('vendor')}, a ta instalacja używa {_vendor()}; "
            "odtwórz ją w instalacji z tą samą bazą."
        )
    known = _known_migrations()
    newer = sorted(
        f"{app}.{name}"
        for app, names in (manifest.get("migrations") or {}).items()
        for name in names
        if (app, name) not in known
    )
    if newer:
        raise BackupError(
            "Kopia pochodzi z nowszej wersji programu (nieznane migracje: "
            f"{', '.join(newer[:5])}); zaktualizuj program przed odtworzeniem."
        )


def _behind(manifest: dict[str, Any]) -> list[str]:
    """The code's migrations the archive's database has not applied: `migrate` after restore."""
    applied = {
        (app, name) for app, names in (manifest.get("migrations") or {}).items() for name in names
    }
    return sorted(f"{app}.{name}" for app, name in _known_migrations() - applied)


def _dump_tables(dump: Path) -> set[str]:
    """The tables a pg_dump custom-format file makes (its table of contents)."""
    done = subprocess.run(  # noqa: S603 — our checked archive's file
        [_tool("pg_restore"), "--list", str(dump)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore --list nie powiódł się: {done.stderr.strip()}")
    tables = set()
    for line in done.stdout.splitlines():
        # "215; 1259 16390 TABLE public core_cluster postgres"
        fields = line.partition(";")[2].split()
        if not line.startswith(";") and len(fields) >= 5 and fields[2] == "TABLE":
            tables.add(fields[4])
    return tables


def _restore_database(folder: Path) -> None:
    if _vendor() == "sqlite":
        source = sqlite3.connect(str(folder / SQLITE_FILE))
        try:
            connection.ensure_connection()
            source.backup(connection.connection)  # the whole file's content, pages and all
        finally:
            source.close()
        connection.close()
        return
    dump = folder / PG_FILE
    keep = _dump_tables(dump)
    if not keep:
        raise BackupError("Kopia bazy PostgreSQL nie zawiera żadnej tabeli — odmowa.")
    connections.close_all()
    args, env = _pg_env()
    done = subprocess.run(  # noqa: S603 — our settings' database and our checked archive
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *args,
            str(dump),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore nie powiódł się: {done.stderr.strip()}")
    # --clean drops only what the dump has: tables made after the backup (a later version's
    # migrations) would stay, unrecorded in django_migrations, and trip the next `migrate`
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        extra = sorted({row[0] for row in cursor.fetchall()} - keep)
        if extra:
            quoted = ", ".join(connection.ops.quote_name(t) for t in extra)
            cursor.execute(f"DROP TABLE IF EXISTS {quoted} CASCADE")
    connections.close_all()


def _restore_folders(folder: Path) -> list[Path]:
    """Each folder of :data:`FOLDERS` as the archive has it; the files that were there kept
    beside it (``MEDIA_ROOT.before-restore-<time>``), nothing deleted. Returns those kept."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    kept = []
    for name, root in _folders().items():
        incoming = folder / name
        if root.exists():
            if root.is_dir() and not any(root.iterdir()):
                root.rmdir()
            else:
                aside = root.with_name(f"{root.name}.before-restore-{stamp}")
                for n in range(2, 1000):  # two restores within a second keep both
                    if not aside.exists():
                        break
                    aside = root.with_name(f"{root.name}.before-restore-{stamp}-{n}")
                os.replace(root, aside)
                kept.append(aside)
        root.parent.mkdir(parents=True, exist_ok=True)
        if incoming.is_dir():
            try:
                os.replace(incoming, root)  # the same disk: a rename
            except OSError:
                shutil.copytree(incoming, root)
        else:
            root.mkdir()
    return kept


@dataclass(frozen=True)
class Restored:
    manifest: dict[str, Any]
    kept: list[Path]
    behind: list[str]  # the code's migrations the restored database lacks: run `migrate`


def backup_restore(path: Path | str) -> Restored:
    """Check everything first — the archive whole, the vendor, the migrations, the database
    file present; then replace the database and the folders. The archive is extracted beside
    the data folder (the same disk: the folders are then moved, not copied)."""
    scratch = Path(settings.MEDIA_ROOT).absolute().parent
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".klaster-restore-", dir=scratch) as tmp:
        folder = Path(tmp)
        manifest = backup_read(path, folder)
        _check_compatible(manifest)
        database = SQLITE_FILE if _vendor() == "sqlite" else PG_FILE
        if not (folder / database).is_file():
            raise BackupError("W archiwum nie ma kopii bazy danych.")
        behind = _behind(manifest)
        _restore_database(folder)
        kept = _restore_folders(folder)
    return Restored(manifest, kept, behind)


# --- the nightly job -----------------------------------------------------------------------------


def backup_folder() -> Path | None:
    value = getattr(settings, "KLASTER_BACKUP_DIR", None)
    return Path(value) if value else None


def nightly(today: dt.date) -> str:
    """One archive a day in KLASTER_BACKUP_DIR (klaster-YYYY-MM-DD.tar.gz; a day's file that
    exists is left), then only the newest KLASTER_BACKUP_KEEP archives kept."""
    folder = backup_folder()
    if folder is None:
        return "kopie nocne wyłączone (KLASTER_BACKUP_DIR pusty)"
    target = folder / f"klaster-{today.isoformat()}.tar.gz"
    made = "już była"
    if not target.exists():
        result = backup_make(target)
        made = f"{result.files} plików, {result.bytes // 1024} KB"
    removed = retention(folder, int(getattr(settings, "KLASTER_BACKUP_KEEP", 14)))
    return f"{target.name}: {made}; usunięte stare: {len(removed)}"


def retention(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` nightly archives (by the date in their name)."""
    archives = sorted(folder.glob("klaster-????-??-??.tar.gz"))
    old = archives[: max(len(archives) - max(keep, 1), 0)]
    for p in old:
        p.unlink()
    return old
