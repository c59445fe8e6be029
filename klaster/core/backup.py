"""Backup and restore of a whole installation (issue 12 point 8): `klaster backup FILE`,
`klaster restore FILE --yes` and the nightly backup job.

One archive (.tar.gz) holds:

- ``manifest.json`` — the format, when and from what it was made (the product's version and
  commit when known, the database's vendor, the migrations applied per app) and the SHA-256 and
  size of every other file in the archive;
- the database — on SQLite a copy made with SQLite's online backup API from the live
  connection (consistent while the server and the worker write), on PostgreSQL a ``pg_dump
  --format=custom`` file;
- ``media/…`` — every uploaded file (MEDIA_ROOT: documents, materials, attachments).

A restore reads the whole archive before it changes anything: every member's name is checked
(no absolute paths, no ``..``, no links or devices — a tar slip is refused), sizes are bounded,
every checksum is compared, the vendor must be the installation's and no migration may be newer
than the code knows. Then the database is replaced (SQLite: the backup API the other way;
PostgreSQL: ``pg_restore --clean --if-exists --no-owner``) and the uploads put in place — the
uploads that were there are kept beside, in ``MEDIA_ROOT.before-restore-<time>``, nothing
deleted.
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
from typing import Any

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
#: an archive is refused above these bounds, before anything is extracted
MAX_MEMBERS = 200_000
MAX_TOTAL_BYTES = 50 * 1024**3
MAX_MANIFEST_BYTES = 64 * 1024**2


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


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore's connection arguments for the default database, and the environment
    carrying its password (never on the command line)."""
    db = settings.DATABASES["default"]
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


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


def backup_make(path: Path | str) -> Made:
    """Write the archive to ``path`` (through a temporary file beside it, renamed when whole)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="klaster-backup-") as tmp:
        folder = Path(tmp)
        database = _dump_database(folder)
        files: list[tuple[str, Path]] = [(database.name, database)]
        if media_root.is_dir():
            for item in sorted(media_root.rglob("*")):
                if item.is_file() and not item.is_symlink():
                    rel = item.relative_to(media_root).as_posix()
                    files.append((f"{MEDIA}/{rel}", item))
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            **_version(),
            "vendor": _vendor(),
            "migrations": _applied(),
            "files": {name: {"sha256": _sha256(p), "size": p.stat().st_size} for name, p in files},
        }
        partial = path.with_name(f".{path.name}.partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            for name, p in files:
                tar.add(str(p), arcname=name, recursive=False)
        os.replace(partial, path)
    return Made(path, len(files), path.stat().st_size)


# --- restore -----------------------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    p = PurePosixPath(name)
    return bool(name) and not p.is_absolute() and ".." not in p.parts and "\\" not in name


def backup_read(path: Path | str, into: Path) -> dict[str, Any]:
    """Check the archive whole and extract it into ``into``; returns its manifest. Refuses (with
    BackupError) anything not exactly what a backup writes."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Nie ma pliku {path}.")
    try:
        tar = tarfile.open(path, "r:gz")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"To nie jest archiwum kopii zapasowej Klastra: {exc}") from None
    with tar:
        members = tar.getmembers()
        if len(members) > MAX_MEMBERS:
            raise BackupError("Archiwum ma za dużo plików.")
        total = 0
        for m in members:
            if not _safe_name(m.name):
                raise BackupError(f"Niebezpieczna ścieżka w archiwum: {m.name!r} — odmowa.")
            if not m.isfile():
                raise BackupError(f"W archiwum jest coś, co nie jest plikiem: {m.name!r} — odmowa.")
            total += m.size
            if total > MAX_TOTAL_BYTES:
                raise BackupError("Archiwum jest za duże.")
        names = {m.name: m for m in members}
        if MANIFEST not in names or names[MANIFEST].size > MAX_MANIFEST_BYTES:
            raise BackupError("W archiwum nie ma opisu kopii (manifest.json).")
        raw = tar.extractfile(names[MANIFEST])
        assert raw is not None
        try:
            manifest = json.loads(raw.read().decode("utf-8"))
        except ValueError:
            raise BackupError("Opis kopii (manifest.json) jest uszkodzony.") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError("To nie jest kopia zapasowa Klastra w znanym formacie.")
        listed = manifest.get("files") or {}
        if set(listed) != set(names) - {MANIFEST}:
            raise BackupError("Pliki w archiwum nie zgadzają się z jego opisem.")
        for name, m in names.items():
            if name == MANIFEST:
                continue
            target = into / name
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(m)
            assert source is not None
            h = hashlib.sha256()
            with target.open("wb") as out:
                for chunk in iter(functools.partial(source.read, 1 << 20), b""):
                    h.update(chunk)
                    out.write(chunk)
            if h.hexdigest() != listed[name].get("sha256") or target.stat().st_size != listed[
                name
            ].get("size"):
                raise BackupError(f"Suma kontrolna się nie zgadza: {name} — archiwum uszkodzone.")
    return manifest


def _check_compatible(manifest: dict[str, Any]) -> None:
    if manifest.get("vendor") != _vendor():
        raise BackupError(
            f"Kopia pochodzi z bazy {manifest.get('vendor')}, a ta instalacja używa {_vendor()}; "
            "odtwórz ją w instalacji z tą samą bazą."
        )
    known: set[tuple[str, str]] = set(
        MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    )
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


def _restore_database(folder: Path) -> None:
    if _vendor() == "sqlite":
        source = sqlite3.connect(str(folder / SQLITE_FILE))
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
        return
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
            str(folder / PG_FILE),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore nie powiódł się: {done.stderr.strip()}")


def _restore_media(folder: Path) -> Path | None:
    """The archive's uploads in MEDIA_ROOT; the uploads that were there kept beside it."""
    media_root = Path(settings.MEDIA_ROOT)
    incoming = folder / MEDIA
    kept = None
    if media_root.exists():
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        kept = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
        os.replace(media_root, kept)
    if incoming.is_dir():
        shutil.copytree(incoming, media_root)
    else:
        media_root.mkdir(parents=True, exist_ok=True)
    return kept


@dataclass(frozen=True)
class Restored:
    manifest: dict[str, Any]
    kept_media: Path | None


def backup_restore(path: Path | str) -> Restored:
    """Check everything first; then replace the database and the uploads."""
    with tempfile.TemporaryDirectory(prefix="klaster-restore-") as tmp:
        folder = Path(tmp)
        manifest = backup_read(path, folder)
        _check_compatible(manifest)
        database = SQLITE_FILE if _vendor() == "sqlite" else PG_FILE
        if not (folder / database).is_file():
            raise BackupError("W archiwum nie ma kopii bazy danych.")
        _restore_database(folder)
        kept = _restore_media(folder)
    return Restored(manifest, kept)


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
