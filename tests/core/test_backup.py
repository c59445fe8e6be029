"""Backup and restore (issue 12 point 8; klaster.core.backup): `klaster backup FILE` and
`klaster restore FILE --yes` round-trip the database and the uploads — on SQLite through its
online backup API, on PostgreSQL through pg_dump/pg_restore; an archive is checked whole before
anything changes (tampered, tar slip, links, oversized, another vendor, newer migrations:
refused, nothing changed); the nightly job writes one archive a day and keeps the newest N.

The round trips run the real commands in processes of their own against a database file (or a
scratch PostgreSQL database made and dropped here), never the test database: the pytest database
may be in memory, and a restore replaces a whole database."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from klaster.core import backup

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
# Run with `python -c` against the process's own database (the env's DATABASE_URL and
# KLASTER_VAR_DIR): rows through the factories, files in MEDIA_ROOT and the demo mailbox's folder.
SCRIPT = """
import os, sys, pathlib, django
os.environ["DJANGO_SETTINGS_MODULE"] = "klaster.settings"
django.setup()
from django.conf import settings
from django.db import connection
from klaster.core.models import Cluster
from tests.factories import ClusterFactory
media = pathlib.Path(settings.MEDIA_ROOT)
mailbox = pathlib.Path(settings.DEMO_MAILBOX_DIR)
what = sys.argv[1]
if what == "seed":
    ClusterFactory(slug="kopia", name="Klaster z kopii")
    (media / "documents").mkdir(parents=True, exist_ok=True)
    (media / "documents" / "statut.txt").write_text("Statut — wersja 1", encoding="utf-8")
    mailbox.mkdir(parents=True, exist_ok=True)
    (mailbox / "1.eml").write_text("Subject: zaproszenie", encoding="utf-8")
elif what == "change":
    Cluster.objects.filter(slug="kopia").delete()
    ClusterFactory(slug="po-kopii", name="Dodany po kopii")
    (media / "documents" / "statut.txt").unlink()
    (media / "nowy.txt").write_text("nowy", encoding="utf-8")
    (mailbox / "1.eml").unlink()
    with connection.cursor() as c:  # as a later version's migration would
        c.execute("CREATE TABLE zz_later (id integer)")
elif what == "show":
    files = lambda root: sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    print(sorted(Cluster.objects.values_list("slug", flat=True)))
    print(files(media), files(mailbox))
    print("zz_later" in connection.introspection.table_names())
"""


def run(env, *args, check=True):
    return subprocess.run(  # noqa: S603 — this interpreter, our own script
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=check
    )


def klaster(env, *args, check=True):
    return run(env, "-m", "klaster.cli", *args, check=check)


def show(env) -> str:
    return run(env, "-c", SCRIPT, "show").stdout


def var_dir(env) -> Path:
    return Path(env["KLASTER_VAR_DIR"])


def _round_trip(env, tmp_path):
    klaster(env, "migrate")
    run(env, "-c", SCRIPT, "seed")
    seeded = show(env)
    archive = tmp_path / "kopia.tar.gz"
    made = klaster(env, "backup", str(archive))
    assert "Zapisano" in made.stdout and archive.is_file()
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # the password hashes are in it
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers
    run(env, "-c", SCRIPT, "change")
    changed = show(env)
    assert changed != seeded
    refused = klaster(env, "restore", str(archive), check=False)  # without --yes
    assert refused.returncode != 0 and "--yes" in refused.stderr
    assert show(env) == changed  # nothing changed
    done = klaster(env, "restore", str(archive), "--yes")
    assert "Odtworzono" in done.stdout and "migrate" not in done.stdout  # the same code
    assert show(env) == seeded  # the rows, the files, and no table the archive lacks
    media = var_dir(env) / "media"
    assert (media / "documents" / "statut.txt").read_text(encoding="utf-8") == "Statut — wersja 1"
    kept = [p for p in var_dir(env).iterdir() if p.name.startswith("media.before-restore-")]
    assert len(kept) == 1 and (kept[0] / "nowy.txt").is_file()  # nothing lost
    return archive


def _env(tmp_path, url):
    return {
        **os.environ,
        "DATABASE_URL": url,
        "KLASTER_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": str(ROOT),
    }


@pytest.fixture(scope="module")
def sqlite_trip(tmp_path_factory):
    """A file database after a round trip: its env and the archive."""
    tmp = tmp_path_factory.mktemp("backup-sqlite")
    env = _env(tmp, f"sqlite:///{tmp}/klaster.sqlite3")
    return env, _round_trip(env, tmp)


def test_backup_round_trip_on_sqlite(sqlite_trip):
    _env, archive = sqlite_trip
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert set(names) == {
        "database.sqlite3",
        "media/documents/statut.txt",
        "mailbox/1.eml",
        "manifest.json",
    }
    assert manifest["vendor"] == "sqlite" and manifest["format"] == "klaster-backup/1"
    assert "0001_clusters_audit_statute" in manifest["migrations"]["core"]
    assert set(manifest["files"]) == set(names) - {"manifest.json"}
    assert all(len(f["sha256"]) == 64 for f in manifest["files"].values())
    assert dt.datetime.fromisoformat(manifest["created_at"]).tzinfo is not None


def test_backup_round_trip_on_postgresql(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("PostgreSQL: the CI's second run (DATABASE_URL)")
    import psycopg

    # a scratch database beside the configured one: never the test database itself
    server = url.rsplit("/", 1)[0]
    admin = server.replace("postgres://", "postgresql://", 1) + "/postgres"
    name = f"klaster_backup_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}"')
        c.execute(f'CREATE DATABASE "{name}"')
    try:
        archive = _round_trip(_env(tmp_path, f"{server}/{name}"), tmp_path)
        with tarfile.open(archive) as tar:
            assert "database.pgdump" in tar.getnames()
    finally:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _rewrite(
    source: Path,
    target: Path,
    change: Callable[[str, bytes], bytes | None] = lambda name, data: data,
    extra: tuple[tarfile.TarInfo, bytes] | None = None,
) -> None:
    """Copy an archive member by member through ``change(name, data)`` (None leaves a member
    out), then add ``extra`` (a member, its bytes)."""
    with tarfile.open(source) as src, tarfile.open(target, "w:gz") as out:
        for m in src.getmembers():
            new = change(m.name, src.extractfile(m).read())
            if new is not None:
                info = tarfile.TarInfo(m.name)
                info.size = len(new)
                out.addfile(info, io.BytesIO(new))
        if extra is not None:
            out.addfile(extra[0], io.BytesIO(extra[1]))


def _member(name: str, size: int = 1, kind: bytes = tarfile.REGTYPE, link: str = ""):
    info = tarfile.TarInfo(name)
    info.size, info.type, info.linkname = size, kind, link
    return info, b"x" * size


def _edit_manifest(edit):
    def change(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        edit(manifest)
        return json.dumps(manifest).encode()

    return change


def _tampered(name, data):
    return b"Statut - podmieniony" if name.endswith("statut.txt") else data


def _tampered_same_size(name, data):
    return data.replace(b"1", b"2") if name.endswith("statut.txt") else data


BAD = {
    "tampered": ({"change": _tampered}, "Rozmiar się nie zgadza"),
    "tampered-same-size": ({"change": _tampered_same_size}, "Suma kontrolna"),
    "tar-slip": ({"extra": _member("../../poza.txt")}, "Niebezpieczna ścieżka"),
    "absolute": ({"extra": _member("/tmp/poza.txt")}, "Niebezpieczna ścieżka"),
    "symlink": (
        {"extra": _member("media/link", 0, tarfile.SYMTYPE, "/etc/passwd")},
        "nie jest plikiem",
    ),
    "hardlink": (
        {"extra": _member("media/hard", 0, tarfile.LNKTYPE, "database.sqlite3")},
        "nie jest plikiem",
    ),
    "twice": ({"extra": _member("media/documents/statut.txt")}, "dwa razy"),
    "unlisted": ({"extra": _member("media/dodany.txt")}, "nie zgadzają się z jego opisem"),
    "another-vendor": (
        {"change": _edit_manifest(lambda m: m.update(vendor="oracle"))},
        "z bazy oracle",
    ),
    "newer-code": (
        {"change": _edit_manifest(lambda m: m["migrations"]["core"].append("9999_later"))},
        "nowszej wersji programu",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_archive_is_refused_before_anything_changes(sqlite_trip, tmp_path, case):
    env, archive = sqlite_trip
    how, words = BAD[case]
    bad = tmp_path / f"{case}.tar.gz"
    _rewrite(archive, bad, **how)
    database = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
    before = (show(env), database.read_bytes(), sorted(var_dir(env).iterdir()))
    refused = klaster(env, "restore", str(bad), "--yes", check=False)
    assert refused.returncode != 0 and words in refused.stderr, refused.stderr
    assert (show(env), database.read_bytes(), sorted(var_dir(env).iterdir())) == before
    assert not list(tmp_path.parent.rglob("poza.txt")) and not Path("/tmp/poza.txt").exists()


def test_an_older_archive_is_restored_and_migrate_asked_for(sqlite_trip, tmp_path):
    env, archive = sqlite_trip
    older = tmp_path / "starsza.tar.gz"
    _rewrite(archive, older, _edit_manifest(lambda m: m["migrations"]["core"].pop()))
    seeded = show(env)
    done = klaster(env, "restore", str(older), "--yes")
    assert "1 migracji do wykonania" in done.stdout and "klaster migrate" in done.stdout
    assert show(env) == seeded
    kept = [p for p in var_dir(env).iterdir() if p.name.startswith("media.before-restore-")]
    assert len(kept) == 2  # the first restore's and this one's, even within one second


def test_members_and_totals_beyond_the_bounds_are_refused(sqlite_trip, tmp_path, monkeypatch):
    _env, archive = sqlite_trip
    biggest = max(m.size for m in tarfile.open(archive).getmembers())
    monkeypatch.setattr(backup, "MAX_MEMBER_BYTES", biggest - 1)
    with pytest.raises(backup.BackupError, match="za duży"):
        backup.backup_read(archive, tmp_path / "a")
    monkeypatch.setattr(backup, "MAX_MEMBER_BYTES", biggest)
    monkeypatch.setattr(backup, "MAX_TOTAL_BYTES", biggest)
    with pytest.raises(backup.BackupError, match="za duże"):
        backup.backup_read(archive, tmp_path / "b")
    monkeypatch.setattr(backup, "MAX_TOTAL_BYTES", 10 * biggest)
    monkeypatch.setattr(backup, "MAX_MEMBERS", 3)
    with pytest.raises(backup.BackupError, match="za dużo plików"):
        backup.backup_read(archive, tmp_path / "c")
    assert not (tmp_path / "a").exists() and not (tmp_path / "c").exists()


def test_not_an_archive_is_refused(tmp_path):
    junk = tmp_path / "kopia.tar.gz"
    junk.write_bytes(b"nie archiwum")
    with pytest.raises(backup.BackupError, match="nie jest archiwum"):
        backup.backup_read(junk, tmp_path / "out")


def test_the_nightly_job_is_registered():
    from klaster.core.jobs import discover

    assert "backup-nightly" in {job.name for job in discover()}


@pytest.mark.django_db(transaction=True)  # SQLite's backup API waits on an open transaction
def test_nightly_backup_once_a_day_keeping_the_newest(settings, tmp_path):
    settings.KLASTER_BACKUP_DIR = str(tmp_path / "nocne")
    settings.KLASTER_BACKUP_KEEP = 3
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEMO_MAILBOX_DIR = tmp_path / "mailbox"
    folder = Path(settings.KLASTER_BACKUP_DIR)
    folder.mkdir()
    for day in range(1, 5):
        (folder / f"klaster-2026-11-0{day}.tar.gz").write_bytes(b"stara")
    (folder / "notatki.txt").write_text("nie kopia")
    first = backup.nightly(dt.date(2026, 12, 4))
    assert "klaster-2026-12-04.tar.gz" in first
    written = (folder / "klaster-2026-12-04.tar.gz").read_bytes()
    assert "już była" in backup.nightly(dt.date(2026, 12, 4))  # idempotent per day
    assert (folder / "klaster-2026-12-04.tar.gz").read_bytes() == written
    assert sorted(p.name for p in folder.iterdir()) == [
        "klaster-2026-11-03.tar.gz",
        "klaster-2026-11-04.tar.gz",
        "klaster-2026-12-04.tar.gz",
        "notatki.txt",
    ]
    settings.KLASTER_BACKUP_DIR = ""
    assert "wyłączone" in backup.nightly(dt.date(2026, 12, 5))
