"""The application form as pure data (klaster.rules.kkk_application): assembled from the demo
cluster and its evaluation (KKK-1), checked (KKK-2), and checksummed (KKK-3). No database."""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from dataclasses import replace
from decimal import Decimal

import pytest

from klaster.exchange.demo import demo_cluster
from klaster.rules import geo
from klaster.rules import kkk_application as ka
from klaster.rules.dataset.model import Address, Kis, Staff
from klaster.rules.kkk import evaluate
from klaster.rules.kkk.context import Context
from klaster.rules.kkk.measure import pct, share
from klaster.rules.message import say

PDF = ka.Attachment(kind="1", name="umowa.pdf", size=1000, sha256="0" * 64, pdf=True)


def locate(address: Address):
    place = geo.locate(address.postal_code, address.city)
    return None if place is None else (place.lat, place.lon)


@pytest.fixture(scope="module")
def demo():
    ds = demo_cluster()
    # The office answers "dofinansowanie T/N" for every funding application (004 pt 14).
    return replace(
        ds,
        funding_applications=tuple(
            replace(a, funded=bool(a.funded)) for a in ds.funding_applications
        ),
    )


def complete_extras(ds, **over) -> ka.Extras:
    """What the office enters beyond the registry, for a demo application that passes the check."""
    refs = {}
    for block in (
        "projects",
        "services",
        "dual_education",
        "startup_cooperations",
        "circular_economy",
        "low_emission",
        "joint_products",
    ):
        for i, _ in enumerate(getattr(ds, block)):
            refs[f"{block}[{i}]"] = {"description": f"Opis pozycji {block}[{i}]."}
    values = dict(
        appointment_document="Umowa o utworzeniu klastra, § 3",
        appointment_date=dt.date(2014, 3, 12),
        statements=frozenset(n for n, _ in ka.STATEMENTS),
        record_extras=refs,
        fte={"iob": Decimal("12.5"), "science": Decimal("140"), "other": Decimal("3")},
        attachments=tuple(replace(PDF, kind=k) for k in ("1", "2", "4", "5", "6")),
    )
    values.update(over)
    return ka.Extras(**values)


def build(ds, extras=None, mode=None):
    if mode is not None:
        ds = ka.with_mode(ds, mode)
    ev = evaluate(ds, locate=locate)
    return ka.assemble(
        ds, ev, locate=locate, extras=extras if extras is not None else complete_extras(ds)
    ), ev


def problems_of(content):
    return ka.validate(content)


def fields_with(problems, kind=None):
    return {(p.field, p.ref) for p in problems if kind is None or p.kind == kind}


# --- KKK-1: the figures are the engine's ----------------------------------------------------------


def test_kkk_1_counts_and_shares_are_the_engines(demo):
    content, ev = build(demo)
    t7 = {r["ref"]: r for r in ka.item(content, "7")["rows"]}
    by_type = dict(ev.members.by_type)
    for t in ("micro", "small", "medium", "large", "iob", "science", "other"):
        assert t7[t]["count"] == by_type[t]
        assert t7[t]["share"] == pct(share(by_type[t], ev.members.total))
    assert t7["enterprises"]["count"] == ev.members.enterprises
    assert t7["total"]["count"] == ev.members.total == len(ka.item(content, "4")["rows"])
    criteria = {c.id: c for c in ev.stage1.criteria}
    indicators = {i.id: i for i in ev.stage2.indicators}
    assert ka.item_value(content, "8.liczba") == ev.members.within_200_km
    assert ka.item_value(content, "8.udzial") == criteria["KKK-S1-17"].value
    assert ka.item_value(content, "4.samodzielne") == criteria["KKK-S1-8"].value
    assert ka.item_value(content, "7.ponad_rok") == criteria["KKK-S1-3"].value
    assert ka.item_value(content, "16.udzial") == indicators["KKK-S2-16"].value
    assert ka.item_value(content, "17.intensywnosc") == indicators["KKK-S2-17"].value
    assert ka.item_value(content, "19.udzial") == indicators["KKK-S2-19"].value
    assert ka.item_value(content, "32.udzial") == indicators["KKK-S2-32"].value
    assert ka.item_value(content, "15") == indicators["KKK-S2-15"].value
    assert ka.item_value(content, "13.suma") == indicators["KKK-S2-13"].value
    # the frozen content carries the engine's own report too
    assert content["evaluation"]["stage2"]["total"] == ev.stage2.total


def test_kkk_1_table_4_has_type_address_distance_and_independence(demo):
    content, ev = build(demo)
    rows = ka.item(content, "4")["rows"]
    ctx = Context(demo, ev.as_of, locate)
    assert rows[0]["coordinator"] and rows[0]["ref"] == demo.cluster.coordinator.member
    assert rows[0]["distance_km"] == "0"
    by_ref = {r["ref"]: r for r in rows}
    assert set(by_ref) == {
        m.id for m in ctx.members
    }  # members on D; the former member is not listed
    for m in ctx.members:
        row = by_ref[m.id]
        assert row["type"] == ka.MEMBER_TYPE_LABELS[m.type]
        assert row["address"] == ka.address_text(m.address)
        distance = ctx.distance[m.id]
        assert row["distance_km"] == (None if distance is None else ka._dec(distance))
        assert row["independent"] == (m.independent if m.is_enterprise else ka.NIE_DOTYCZY)


def test_kkk_1_nie_dotyczy_where_a_field_does_not_apply(demo):
    ds = replace(demo, ip_rights=(), startup_cooperations=())
    content, _ = build(ds)
    assert ka.item_value(content, "21") == ka.NIE_DOTYCZY  # no IP rights: the table does not apply
    assert ka.item_value(content, "28") == ka.NIE_DOTYCZY
    non_enterprise = next(r for r in ka.item(content, "4")["rows"] if r["type_key"] == "iob")
    assert non_enterprise["independent"] == ka.NIE_DOTYCZY  # T/N is for enterprises only
    attachments = {r["kind"]: r for r in ka.item(content, "Z")["rows"]}
    assert (
        attachments["3"]["required"] == ka.NIE_DOTYCZY
    )  # the renewal statement, in a grant application
    statement5 = next(r for r in ka.item(content, "O")["rows"] if r["number"] == 5)
    assert (
        statement5["accepted"] == ka.NIE_DOTYCZY
    )  # "w przypadku uzyskania statusu KKK w przeszłości"
    assert not [p for p in problems_of(content) if p.field in ("21", "28")]


def test_kkk_1_kkk_4_renewal_asks_for_the_statement_instead_of_the_agreement(demo):
    extras = complete_extras(
        demo, attachments=tuple(replace(PDF, kind=k) for k in ("3", "4", "5", "6"))
    )
    content, ev = build(demo, extras, mode="renewal")
    assert content["mode"] == "renewal" and ev.stage1.statement
    attachments = {r["kind"]: r for r in ka.item(content, "Z")["rows"]}
    assert (
        attachments["1"]["required"] == ka.NIE_DOTYCZY
        and attachments["2"]["required"] == ka.NIE_DOTYCZY
    )
    assert attachments["3"]["required"] is True
    statement5 = next(r for r in ka.item(content, "O")["rows"] if r["number"] == 5)
    assert statement5["accepted"] is True  # a renewing cluster held the status
    assert problems_of(content) == []


# --- KKK-2: "Sprawdź wniosek" ----------------------------------------------------------------------


def test_kkk_2_a_complete_application_has_no_problems(demo):
    content, _ = build(demo)
    assert problems_of(content) == []


def _long(n):
    return ("Klaster " * (n // 8 + 1))[:n]


def _spec(ds, description):
    return replace(
        ds,
        cluster=replace(
            ds.cluster, specialisation=replace(ds.cluster.specialisation, description=description)
        ),
    )


def _start(ds, description):
    return replace(
        ds,
        cluster=replace(
            ds.cluster, actual_start=replace(ds.cluster.actual_start, description=description)
        ),
    )


def _contact(ds, **kw):
    return replace(ds, cluster=replace(ds.cluster, contact=replace(ds.cluster.contact, **kw)))


CASES = [
    # (what is wrong, dataset change, extras change, field, row, kind)
    (
        "specialisation over 150 characters",
        lambda ds: _spec(ds, _long(151)),
        {},
        "2.opis",
        None,
        "length",
    ),
    ("3.8 description over 500", lambda ds: _start(ds, _long(501)), {}, "3.8.opis", None, "length"),
    (
        "KIS justification over 500",
        lambda ds: replace(ds, kis=(replace(ds.kis[0], justification=_long(501)),)),
        {},
        "25",
        "kis[0]",
        "length",
    ),
    (
        "four KIS",
        lambda ds: replace(
            ds, kis=tuple(Kis(number=n, justification="Projekty p1, p2.") for n in (1, 2, 3, 4))
        ),
        {},
        "25",
        None,
        "consistency",
    ),
    (
        "contact phone missing",
        lambda ds: _contact(ds, phone=None),
        {},
        "3.6.telefon",
        None,
        "required",
    ),
    (
        "a member without an address",
        lambda ds: replace(
            ds, members=tuple(replace(m, address=None) if m.id == "m010" else m for m in ds.members)
        ),
        {},
        "4",
        "m010",
        "required",
    ),
    (
        "an enterprise without T/N",
        lambda ds: replace(
            ds,
            members=tuple(
                replace(m, independent=None) if m.id == "m020" else m for m in ds.members
            ),
        ),
        {},
        "4",
        "m020",
        "required",
    ),
    (
        "3.2 not the table 4 address",
        lambda ds: ds,
        {"applicant_address": "ul. Inna 5, 00-001 Warszawa"},
        "3.2",
        None,
        "consistency",
    ),
    (
        "3.1 not the table 4 name",
        lambda ds: ds,
        {"applicant_name": "Inna Fundacja"},
        "3.1",
        None,
        "consistency",
    ),
    ("3.5 date missing", lambda ds: ds, {"appointment_date": None}, "3.5.data", None, "required"),
    (
        "a statement not made",
        lambda ds: ds,
        {"statements": frozenset({1, 2, 3, 4, 6, 7})},
        "O",
        "statement:8",
        "statement",
    ),
    (
        "attachment 4 missing",
        lambda ds: ds,
        {"attachments": tuple(replace(PDF, kind=k) for k in ("1", "2", "5", "6"))},
        "Z",
        "attachment:4",
        "attachment",
    ),
    (
        "attachment 2 not a PDF",
        lambda ds: ds,
        {
            "attachments": (
                *(replace(PDF, kind=k) for k in ("1", "4", "5", "6")),
                replace(PDF, kind="2", name="statut.docx", pdf=False),
            )
        },
        "Z",
        "attachment:2",
        "attachment",
    ),
    (
        "strategy ends before it starts",
        lambda ds: replace(
            ds,
            cluster=replace(
                ds.cluster,
                strategies=tuple(
                    replace(
                        s,
                        valid_from=dt.date(2026, 1, 1),
                        valid_to=dt.date(2025, 1, 1),
                        adopted=dt.date(2025, 1, 1),
                    )
                    for s in ds.cluster.strategies
                ),
            ),
        ),
        {},
        "6.3.do",
        None,
        "date",
    ),
]


@pytest.mark.parametrize("what,change,extras,field,ref,kind", CASES, ids=[c[0] for c in CASES])
def test_kkk_2_each_problem_names_its_field(demo, what, change, extras, field, ref, kind):
    ds = change(demo)
    content, _ = build(ds, complete_extras(ds, **extras))
    problems = problems_of(content)
    assert (field, ref) in fields_with(problems, kind), [str(p) for p in problems]
    for p in problems:
        assert str(p).startswith(p.field + " "), "a problem's text begins with its field"
        assert p.anchor.startswith("f-")


@pytest.mark.parametrize(
    "kind,index,limit,table",
    [
        ("dual_education", 0, 500, "26"),
        ("startup_cooperations", 0, 500, "28"),
        ("joint_products", 0, 1000, "31"),
    ],
)
def test_kkk_2_description_limits_500_or_1000(demo, kind, index, limit, table):
    ref = f"{kind}[{index}]"
    base = complete_extras(demo)
    at_limit = {**base.record_extras, ref: {"description": _long(limit)}}
    content, _ = build(demo, replace(base, record_extras=at_limit))
    assert (table, ref) not in fields_with(problems_of(content), "length")
    over = {**base.record_extras, ref: {"description": _long(limit + 1)}}
    content, _ = build(demo, replace(base, record_extras=over))
    problem = next(p for p in problems_of(content) if p.kind == "length")
    assert (problem.field, problem.ref, problem.column) == (table, ref, "description")
    polish = say(problem.message, "pl")
    assert f"{limit + 1} znaków" in polish and f"najwyżej {limit}" in polish
    assert problem.edit == f"record:{kind}:{index}"


def test_kkk_2_specialisation_of_exactly_150_characters_passes(demo):
    ds = _spec(demo, _long(150))
    content, _ = build(ds)
    assert not [p for p in problems_of(content) if p.field == "2.opis"]


def test_kkk_2_managers_must_be_among_the_staff_of_9_2(demo):
    """9.1 ⊆ 9.2: a manager employed less than 3 months before D is in 9.1 but not in 9.2."""
    recent = Staff(
        name="Jan Nowy",
        email="jan.nowy@example.org",
        role="Wiceprezes",
        manager=True,
        contract="employment",
        employed_from=dt.date(2026, 5, 1),
        years_private_mgmt=Decimal(3),
        years_cluster_mgmt=Decimal(1),
        years_intl_projects=Decimal(0),
    )
    ds = replace(demo, staff=(*demo.staff, recent))
    content, _ = build(ds)
    ref = f"staff[{len(demo.staff)}]"
    problem = next(p for p in problems_of(content) if p.field == "9.1")
    assert (problem.ref, problem.kind, problem.edit) == (
        ref,
        "consistency",
        f"record:staff:{len(demo.staff)}",
    )
    assert "Jan Nowy" in say(problem.message, "pl") and "9.2" in say(problem.message, "pl")


@pytest.mark.parametrize(
    "tamper,field",
    [
        (lambda c: ka.item(c, "7")["rows"][0].__setitem__("count", 99), "7"),
        (lambda c: ka.item(c, "7")["rows"][-1].__setitem__("count", 1), "7"),
        (
            lambda c: (
                ka.item(c, "8")["items"]
                if False
                else ka.item(c, "8.udzial").__setitem__("value", "99.00%")
            ),
            "8.udzial",
        ),
        (lambda c: ka.item(c, "8.liczba").__setitem__("value", 1), "8.liczba"),
        (lambda c: ka.item(c, "4.samodzielne").__setitem__("value", "10.00%"), "4.samodzielne"),
        (lambda c: ka.item(c, "16.udzial").__setitem__("value", "1.00%"), "16.udzial"),
        (lambda c: ka.item(c, "13.suma").__setitem__("value", "1.00"), "13.suma"),
        (lambda c: ka.item(c, "4")["rows"].pop(), "7"),
    ],
)
def test_kkk_2_arithmetic_of_the_automatic_figures(demo, tamper, field):
    content, _ = build(demo)
    tampered = copy.deepcopy(content)
    tamper(tampered)
    problems = [p for p in problems_of(tampered) if p.kind == "arithmetic"]
    assert field in {p.field for p in problems}, [str(p) for p in problems]


def test_kkk_2_pdf_is_recognised_by_its_magic_bytes():
    assert ka.is_pdf(b"%PDF-1.7\n...")
    assert ka.is_pdf(b"\xef\xbb\xbf\n%PDF-1.4")  # leading bytes within the first kilobyte
    assert not ka.is_pdf(b"PK\x03\x04 word document named .pdf")
    assert not ka.is_pdf(b"")


# --- KKK-3: the checksum ------------------------------------------------------------------------------


def _shuffled(value, rng):
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {k: _shuffled(value[k], rng) for k in keys}
    if isinstance(value, list):
        return [_shuffled(v, rng) for v in value]
    return value


def test_kkk_3_same_content_gives_the_same_checksum(demo):
    content, _ = build(demo)
    digest = ka.checksum(content)
    again, _ = build(demo)
    assert ka.checksum(again) == digest  # assembled twice
    assert ka.checksum(json.loads(json.dumps(content))) == digest  # through a JSON column
    assert ka.checksum(_shuffled(content, random.Random(7))) == digest  # key order does not matter
    assert len(digest) == 64 and int(digest, 16) >= 0


def _leaves(value, path=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(value, list) and value and not all(isinstance(v, str) for v in value):
        for i, v in enumerate(value):
            yield from _leaves(v, (*path, i))
    else:
        yield path, value


def _set(value, path, new):
    for key in path[:-1]:
        value = value[key]
    value[path[-1]] = new


def _other(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if value is None:
        return ""
    if isinstance(value, list):
        return [*value, "x"]
    return str(value) + " "


def test_kkk_3_any_change_changes_the_checksum(demo):
    content, _ = build(demo)
    digest = ka.checksum(content)
    changed = 0
    # every field (value, label, limits), every cell of each table's first row, and 200
    # cells drawn at random (seeded) from the rest
    leaves = [(p, v) for p, v in _leaves({"sections": content["sections"]}) if "columns" not in p]
    first = [(p, v) for p, v in leaves if "rows" not in p or p[p.index("rows") + 1] == 0]
    rest = [(p, v) for p, v in leaves if "rows" in p and p[p.index("rows") + 1] != 0]
    leaves = first + random.Random(2026).sample(rest, 200)
    for path, value in leaves:
        _set(content, path, _other(value))  # change one value in place …
        assert ka.checksum(content) != digest, path
        _set(content, path, value)  # … and put it back
        changed += 1
    assert ka.checksum(content) == digest
    assert changed > 400


def test_kkk_3_canonical_serialisation_is_as_documented():
    content = {"b": Decimal("1500000.50"), "a": "Łódź", "c": [dt.date(2026, 6, 30), True, None, 3]}
    assert (
        ka.canonical(content)
        == '{"a":"Łódź","b":"1500000.50","c":["2026-06-30",true,null,3]}'.encode()
    )
    with pytest.raises(TypeError):
        ka.canonical({"share": 0.1})  # floats have no stable text: refused
