"""`klaster import` / `klaster export` (issue 2 point 5): all or nothing, every bad field named by
its path, and import(export(x)) == x. Runs the real console script where the exit code matters."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from klaster.core.models import Cluster
from klaster.exchange.dataset_io import cluster_export, cluster_import
from klaster.exchange.demo import demo_cluster
from klaster.members.models import Member
from klaster.rules.dataset.dump import dump_data, dump_path
from klaster.rules.dataset.load import load_path

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo():
    return demo_cluster()


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_mem_6_import_export_round_trip(tmp_path, demo, suffix, capsys):
    src = tmp_path / f"demo{suffix}"
    dump_path(demo, src)
    call_command("import_dataset", str(src))
    slug = capsys.readouterr().out.strip().splitlines()[-1]
    out = tmp_path / f"out{suffix}"
    call_command("export_dataset", slug, str(out))
    again = load_path(out)
    # Equal as data: every field, every reference, every amount to the grosz. (Text may
    # differ only in trailing zeros of coordinates, e.g. 19.4560 -> 19.456.)
    assert again == demo


def test_mem_2_coordinator_is_a_member_and_distances_are_filled(demo):
    cluster = cluster_import(demo)
    coord = cluster.coordinator
    assert coord.cluster_id == cluster.pk and coord.key == demo.cluster.coordinator.member
    assert coord.distance_km == 0
    placed = Member.objects.filter(cluster=cluster, distance_km__isnull=False).count()
    assert placed >= len(demo.members) - 2
    assert cluster_export(cluster) == demo  # dataset_from_db and the bank accounts


def _bad_file(tmp_path, demo, mutate) -> Path:
    data = dump_data(demo)
    mutate(data)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "mutate,path_in_message",
    [
        (lambda d: d["members"][3].__setitem__("nip", "5260250275"), "members[3].nip"),
        (lambda d: d["members"][5].__setitem__("joined", "2015-13-01"), "members[5].joined"),
        (lambda d: d["members"][2].__setitem__("nipp", "1"), "members[2].nipp"),
        (lambda d: d["members"][4].__setitem__("id", d["members"][1]["id"]), "members[4].id"),
        (
            lambda d: d["projects"][0].__setitem__("participants", ["nobody"]),
            "projects[0].participants",
        ),
        (lambda d: d["members"][0].__setitem__("type", 7), "members[0].type"),
    ],
)
def test_mem_4_bad_import_names_the_path_and_writes_nothing(
    tmp_path, demo, mutate, path_in_message
):
    bad = _bad_file(tmp_path, demo, mutate)
    before = (Cluster.objects.count(), Member.objects.count())
    with pytest.raises(CommandError) as exc:
        call_command("import_dataset", str(bad))
    assert path_in_message in str(exc.value)
    assert (Cluster.objects.count(), Member.objects.count()) == before


def _klaster(*args, env_extra=None):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "klaster.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.mark.django_db(transaction=True)
def test_cli_import_prints_slug_last_and_fails_loudly(tmp_path, demo):
    db = tmp_path / "cli.sqlite3"
    env = {"KLASTER_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{db}"}
    assert _klaster("migrate", env_extra=env).returncode == 0
    src = tmp_path / "demo.json"
    dump_path(demo, src)
    ok = _klaster("import", str(src), env_extra=env)
    assert ok.returncode == 0, ok.stderr
    slug = ok.stdout.strip().splitlines()[-1]
    listed = _klaster("clusters", env_extra=env)
    assert listed.stdout.split() == [slug]
    bad = _bad_file(tmp_path, demo, lambda d: d["members"][3].__setitem__("nip", "5260250275"))
    failed = _klaster("import", str(bad), env_extra=env)
    assert failed.returncode != 0
    assert "members[3].nip" in failed.stderr
    assert _klaster("clusters", env_extra=env).stdout.split() == [slug]
    missing = _klaster("export", "no-such-cluster", str(tmp_path / "x.yaml"), env_extra=env)
    assert missing.returncode != 0 and "no-such-cluster" in missing.stderr
    out = tmp_path / "big.yaml"
    made = _klaster(
        "demo-data",
        "--members",
        "120",
        "--projects",
        "10",
        "--events",
        "10",
        "--out",
        str(out),
        env_extra=env,
    )
    assert made.returncode == 0, made.stderr
    assert len(load_path(out).members) == 120


def test_import_places_members_as_one_by_one_placing_does(demo):
    """The import places its rows in bulk, one gazetteer lookup per postal code and town
    (klaster.members.geocoding.place_members); every member's seat, note and distance are what
    placing that member alone (the member form's path) gives."""
    from klaster.members import geocoding

    cluster = cluster_import(demo)
    members = list(Member.objects.filter(cluster=cluster).order_by("key"))
    coordinator = next(m for m in members if m.pk == cluster.coordinator_id)
    columns = ("lat", "lon", "location_note", "distance_km")
    stored = [tuple(getattr(m, c) for c in columns) for m in members]
    geocoding._place(coordinator)  # the coordinator's seat first: distances are measured from it
    for m in members:
        if m is not coordinator:
            geocoding._place(m)
        geocoding._distance(m, coordinator)
    assert [tuple(getattr(m, c) for c in columns) for m in members] == stored
    assert sum(m.location_note != "" for m in members) == len(members)


def test_place_members_looks_each_address_up_once(monkeypatch):
    """Members at the same postal code and town share one lookup; the answers are the ones a
    lookup per member gives, unplaceable addresses and given coordinates included."""
    from decimal import Decimal
    from types import SimpleNamespace

    from klaster.members import geocoding
    from klaster.rules import geo

    def seat(key, postal_code="", city="", lat=None, lon=None):
        return SimpleNamespace(
            key=key,
            postal_code=postal_code,
            city=city,
            lat=lat,
            lon=lon,
            location_given=lat is not None,
            location_note="",
            distance_km=None,
        )

    def seats():
        return [
            seat("c", "00-001", "Warszawa"),
            seat("a", "00-001", "Warszawa"),
            seat("b", "00-001", "Kraków"),  # the code wins, with a note
            seat("d", "", "Gdańsk"),
            seat("e", "99-999", ""),  # not in the list
            seat("f", "", ""),  # no address
            seat("g", "30-001", "Kraków", Decimal("50.061400"), Decimal("19.936600")),
            seat("h", "", "Gdańsk"),
        ]

    calls = []
    real = geo.geocode

    def counted(postal_code, city):
        calls.append((postal_code, city))
        return real(postal_code, city)

    monkeypatch.setattr(geo, "geocode", counted)
    bulk = seats()
    geocoding.place_members(bulk, coordinator_key="c")
    assert sorted(calls, key=str) == sorted(
        {
            ("00-001", "Warszawa"),
            ("00-001", "Kraków"),
            (None, "Gdańsk"),
            ("99-999", None),
            (None, None),
        },
        key=str,
    )
    one_by_one = seats()
    for s in one_by_one:
        geocoding._place(s, real)
    for s in one_by_one:
        geocoding._distance(s, one_by_one[0])
    assert [vars(s) for s in bulk] == [vars(s) for s in one_by_one]
    assert bulk[0].distance_km == 0 and bulk[5].lat is None and bulk[5].location_note
    assert bulk[6].location_note == geo.Source.COORDINATES.label
