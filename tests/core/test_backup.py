"""Backup and restore (issue 12 point 8; klaster.core.backup): `klaster backup FILE` and
`klaster restore FILE --yes` round-trip the database and the uploads — on SQLite through its
online backup API, on PostgreSQL through pg_dump/pg_restore; an archive is checked whole before
anything changes (tampered, tar slip, another vendor, newer migrations: refused, nothing
changed); the nightly job writes one archive a day and keeps the newest N."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from klaster.core import backup

ROOT = Path(__file__).resolve().parents[2]
SEED = """
import os, django, pathlib
os.environ["DJANGO_SETTINGS_MODULE"] = "klaster.settings"
django.setup()
from django.conf import settings
from klaster.core.models import Cluster
import sys
what = sys.argv[1]
media = pathlib.Path(settings.MEDIA_ROOT)
if what == "seed":
    Cluster.objects.create(slug="kopia", name="Klaster z kopii")
    (media / "documents").mkdir(parents=True, exist_ok=True)
    (media / "documents" / "statut.txt").write_text("Statut — wersja 1", encoding="utf-8")
elif what == "change":
    Cluster.objects.filter(slug="kopia").delete()
    Cluster.objects.create(slug="po-kopii", name="Dodany po kopii")
    (media / "documents" / "statut.txt").unlink()
    (media / "nowy.txt").write_text("nowy", encoding="utf-8")
elif what == "show":
    print(sorted(Cluster.objects.values_list("slug", flat=True)))
    print(sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()))
"""


def run(env, *args, check=True):
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=check
    )


def klaster(env, *args, check=True):
    return run(env, "-m", "klaster.cli", *args, check=check)


def _round_trip(env, tmp_path):
    klaster(env, "migrate")
    run(env, "-c", SEED, "seed")
    archive = tmp_path / "kopia.tar.gz"
    made = klaster(env, "backup", str(archive))
    assert "Zapisano" in made.stdout and archive.is_file()
    run(env, "-c", SEED, "change")
    changed = run(env, "-c", SEED, "show").stdout
    refused = klaster(env, "restore", str(archive), check=False)  # without --yes
    assert refused.returncode != 0 and "--yes" in refused.stderr
    assert run(env, "-c", SEED, "show").stdout == changed  # nothing changed
    done = klaster(env, "restore", str(archive), "--yes")
    assert "Odtworzono" in done.stdout
    slugs, files = run(env, "-c", SEED, "show").stdout.splitlines()
    assert "'kopia'" in slugs and "po-kopii" not in slugs
    assert files == "['documents/statut.txt']"
    media = Path(env["KLASTER_VAR_DIR"]) / "media"
    assert (media / "documents" / "statut.txt").read_text(encoding="utf-8") == "Statut — wersja 1"
    kept = [p for p in media.parent.iterdir() if p.name.startswith("media.before-restore-")]
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
def sqlite_archive(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("backup-sqlite")
    return _round_trip(_env(tmp, f"sqlite:///{tmp}/klaster.sqlite3"), tmp)


def test_backup_round_trip_on_sqlite(sqlite_archive):
    with tarfile.open(sqlite_archive) as tar:
        names = tar.getnames()
    assert names[0] == "manifest.json" and "database.sqlite3" in names


def test_backup_round_trip_on_postgresql(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("PostgreSQL: the CI's second run (DATABASE_URL)")
    import psycopg

    admin = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://", 1) + "/postgres"
    name = f"klaster_backup_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}"')
        c.execute(f'CREATE DATABASE "{name}"')
    try:
        archive = _round_trip(_env(tmp_path, url.rsplit("/", 1)[0] + "/" + name), tmp_path)
        with tarfile.open(archive) as tar:
            assert "database.pgdump" in tar.getnames()
    finally:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _rewrite(source: Path, target: Path, change) -> None:
    """Copy an archive member by member, ``change(name, data)`` returning the new bytes (or None
    to leave the member out); extra (name, bytes) members from ``change("+", None)``."""
    with tarfile.open(source) as src, tarfile.open(target, "w:gz") as out:
        for m in src.getmembers():
            data = src.extractfile(m).read()
            new = change(m.name, data)
            if new is None:
                continue
            info = tarfile.TarInfo(m.name)
            info.size = len(new)
            out.addfile(info, io.BytesIO(new))
        for name, data in change("+", None) or []:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))


def test_a_tampered_archive_is_refused_before_anything_is_written(sqlite_archive, tmp_path):
    bad = tmp_path / "zmieniona.tar.gz"
    _rewrite(
        sqlite_archive,
        bad,
        lambda name, data: (
            None
            if name == "+"
            else (b"Statut - podmieniony" if name.endswith("statut.txt") else data)
        ),
    )
    with pytest.raises(backup.BackupError, match="Suma kontrolna"):
        backup.backup_read(bad, tmp_path / "out")


def test_a_tar_slip_is_refused(sqlite_archive, tmp_path):
    bad = tmp_path / "slip.tar.gz"
    _rewrite(
        sqlite_archive,
        bad,
        lambda name, data: [("../../poza.txt", b"x")] if name == "+" else data,
    )
    with pytest.raises(backup.BackupError, match="Niebezpieczna"):
        backup.backup_read(bad, tmp_path / "out")
    assert not (tmp_path.parent / "poza.txt").exists()


def test_an_archive_of_another_vendor_or_newer_code_is_refused(sqlite_archive, tmp_path, db):
    def manifest(edit):
        def change(name, data):
            if name == "+":
                return None
            if name == "manifest.json":
                m = json.loads(data)
                edit(m)
                return json.dumps(m).encode()
            return data

        return change

    newer = tmp_path / "nowsza.tar.gz"
    _rewrite(sqlite_archive, newer, manifest(lambda m: m["migrations"]["core"].append("9999_x")))
    other = tmp_path / "inna-baza.tar.gz"
    _rewrite(sqlite_archive, other, manifest(lambda m: m.update(vendor="oracle")))
    # (the PostgreSQL run refuses the SQLite-made archive for its vendor first)
    for path, words in ((newer, "nowszej wersji|z bazy sqlite"), (other, "oracle")):
        read = backup.backup_read(path, tmp_path / path.stem)
        with pytest.raises(backup.BackupError, match=words):
            backup._check_compatible(read)


@pytest.mark.django_db(transaction=True)  # SQLite's backup API copies a database no one is writing
def test_nightly_backup_once_a_day_keeping_the_newest(settings, tmp_path):
    settings.KLASTER_BACKUP_DIR = str(tmp_path / "nocne")
    settings.KLASTER_BACKUP_KEEP = 3
    folder = Path(settings.KLASTER_BACKUP_DIR)
    folder.mkdir()
    for day in range(1, 5):
        (folder / f"klaster-2026-11-0{day}.tar.gz").write_bytes(b"stara")
    (folder / "notatki.txt").write_text("nie kopia")
    first = backup.nightly(dt.date(2026, 12, 4))
    assert "klaster-2026-12-04.tar.gz" in first
    assert "już była" in backup.nightly(dt.date(2026, 12, 4))
    assert sorted(p.name for p in folder.iterdir()) == [
        "klaster-2026-11-03.tar.gz",
        "klaster-2026-11-04.tar.gz",
        "klaster-2026-12-04.tar.gz",
        "notatki.txt",
    ]
    settings.KLASTER_BACKUP_DIR = ""
    assert "wyłączone" in backup.nightly(dt.date(2026, 12, 5))
