"""The JSON DATASET.md promises to outside tools, its schema, and the Polish text report
(SPEC §6 KKK-EXPLAIN, KKK-4, KKK-S2-EXP, KKK-TOTAL)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klaster.rules.dataset.model import Expert, Panel
from klaster.rules.kkk import dumps, evaluate, output, schema, to_json, to_text
from tests.rules.kkk.builders import baseline, cluster, dataset, experts_giving

SCHEMA_PATH = (
    Path(__file__).resolve().parents[3] / "klaster" / "rules" / "kkk" / "output.schema.json"
)
VALIDATOR = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))

S1_IDS = [f"KKK-S1-{i}" for i in range(1, 22)]
S2_IDS = [f"KKK-S2-{i}" for i in range(9, 35)]

CASES = {
    "grant_no_panel": lambda: baseline(),
    "grant_panel": lambda: baseline(panel=Panel(8, 7, 6, 7)),
    "renewal": lambda: baseline(cluster=cluster(mode="renewal")),
    "experts": lambda: baseline(experts=(Expert("E1", (("9", 4),)), Expert("E2", (("9", 5),)))),
    "empty": lambda: dataset(),
}


def test_output_schema_is_a_valid_draft_2020_12_schema():
    """The schema file itself is valid, and the package ships the same file."""
    jsonschema.Draft202012Validator.check_schema(VALIDATOR.schema)
    assert schema() == VALIDATOR.schema


@pytest.mark.parametrize("case", sorted(CASES))
def test_kkk_explain_json_validates_against_output_schema(case):
    """KKK-EXPLAIN: to_json(evaluate(...)) validates against output.schema.json."""
    out = to_json(evaluate(CASES[case]()))
    VALIDATOR.validate(out)
    assert json.loads(json.dumps(out)) == out  # plain JSON types only


def test_kkk_json_shape_exactly_as_dataset_md():
    """DATASET.md: the keys as shown, criteria and indicators in SPEC order, stage3 null without a panel."""
    out = to_json(evaluate(baseline(experts=(Expert("E1", (("9", 70),)),))))
    assert list(out) == ["as_of", "members", "stage1", "stage2", "stage3", "total", "status"]
    assert list(out["members"]) == ["total", "by_type", "enterprises", "within_200_km"]
    assert list(out["members"]["by_type"]) == [
        "micro",
        "small",
        "medium",
        "large",
        "iob",
        "science",
        "other",
    ]
    assert list(out["stage1"]) == ["passed", "criteria"]
    assert list(out["stage2"]) == ["total", "passed", "indicators"]
    assert [c["id"] for c in out["stage1"]["criteria"]] == S1_IDS
    assert [i["id"] for i in out["stage2"]["indicators"]] == S2_IDS
    for c in out["stage1"]["criteria"]:
        assert set(c) <= {"id", "passed", "value", "required", "basis", "note"}
        assert {"id", "passed", "value", "required", "basis"} <= set(c)
    for i in out["stage2"]["indicators"]:
        assert list(i) == ["id", "points", "max", "value", "basis", "note"]
    assert out["stage3"] is None and out["status"] == "stage3_pending"
    assert out["as_of"] == "2021-06-30"
    s1 = out["stage1"]["criteria"][0]
    assert (s1["value"], s1["required"], s1["basis"][0]) == (60, ">= 51", "m000")


def test_kkk_4_json_renewal_criteria_carry_statement():
    """KKK-4 / DATASET.md: in renewal mode stage I criteria carry passed true, note "statement"."""
    out = to_json(evaluate(dataset(cluster=cluster(mode="renewal"))))
    assert all(c["passed"] is True and c["note"] == "statement" for c in out["stage1"]["criteria"])
    assert out["stage1"]["passed"] is True


def test_kkk_total_json_with_panel_and_experts():
    """KKK-TOTAL / KKK-S2-EXP: stage2.total is the experts' result; points stay the proposal."""
    plain = to_json(evaluate(baseline()))
    scored = to_json(
        evaluate(baseline(panel=Panel(8, 7, 6, 7), experts=(Expert("E1", (("9", 0),)),)))
    )
    assert scored["stage3"] == {"total": 28}
    assert [i["points"] for i in scored["stage2"]["indicators"]] == [
        i["points"] for i in plain["stage2"]["indicators"]
    ]
    first = scored["stage2"]["indicators"][0]
    assert scored["stage2"]["total"] == plain["stage2"]["total"] - first["points"]
    assert "eksperci: 0" in first["note"] and "propozycja produktu" in first["note"]
    assert scored["total"] == scored["stage2"]["total"] + 28


def test_dumps_is_utf8_json_with_a_trailing_newline():
    text = dumps(evaluate(baseline()))
    assert text.endswith("\n") and "ł" in text  # "zł", "członków": not \u escapes
    assert json.loads(text)["members"]["total"] == 60


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=8), inner, max_size=6)
    ),
    max_leaves=40,
)


@settings(max_examples=500)
@given(JSON_VALUES)
def test_dumps_writes_what_json_dumps_writes(value):
    """dumps() writes its indented JSON itself (the json module's indenting encoder is pure
    Python): byte for byte what json.dumps(…, ensure_ascii=False, indent=2) writes."""
    out: list[str] = []
    output._indented(value, "", out)
    assert "".join(out) == json.dumps(value, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("case", sorted(CASES))
def test_dumps_is_json_dumps_of_to_json(case):
    result = evaluate(CASES[case]())
    assert dumps(result) == json.dumps(to_json(result), ensure_ascii=False, indent=2) + "\n"


# -- the text report ------------------------------------------------------------------------------


def test_kkk_explain_text_report_names_every_rule_value_band_and_records():
    """KKK-EXPLAIN: the Polish report has each criterion with value, threshold, verdict and records,
    each indicator with its band and next band, the what-if list and the readings."""
    text = to_text(evaluate(baseline(cluster=cluster(eccp_registered=False))))
    for rule_id in S1_IDS + S2_IDS:
        assert f" {rule_id} " in text, rule_id
    assert (
        "ETAP I — ocena merytoryczna wstępna: NIE SPEŁNIA (1 z 21 kryteriów niespełnionych)" in text
    )
    assert "wartość: 60; wymagane: ≥ 51 — spełnia" in text
    assert "podstawa: m000, m001" in text
    assert "[-] KKK-S1-20" in text and "brakuje: potrzeba rejestracji na ECCP" in text
    assert (
        "CO PODNIESIE WYNIK" in text
        and "+1 pkt  KKK-S2-23: udział koordynatora lub ≥ 10% członków w targach w Polsce" in text
    )
    assert "Aby spełnić etap I:" in text
    assert "PRZYJĘTE ODCZYTANIA" in text and "40–45%" in text
    assert "WYNIK PROGNOZOWANY: nieprzyznanie statusu" in text
    assert "68,33%" in text  # Polish decimal comma in shares


def test_kkk_s2_exp_text_report_shows_proposal_and_experts_result():
    """KKK-S2-EXP: the report says which stage II result counts and shows the difference."""
    ev = evaluate(baseline(experts=(Expert("E1", (("9", 4),)), Expert("E2", (("9", 5),)))))
    text = to_text(ev)
    assert (
        f"Propozycja produktu: {ev.stage2.proposal} pkt. Wynik ekspertów (E1, E2): {ev.stage2.total} pkt"
        in text
    )
    assert "zaokrąglona połówkowo w górę na końcu" in text
    assert "eksperci: 4, 5 (średnia 4.5)" in text


def test_kkk_4_text_report_renewal_mode():
    """KKK-4: the report says stage I is the applicant's statement."""
    text = to_text(evaluate(dataset(cluster=cluster(mode="renewal"))))
    assert "odnowienie statusu" in text and "oświadczenie wnioskodawcy" in text


def test_kkk_total_text_report_statuses():
    """KKK-TOTAL: status words in the report — a forecast, never "status przyznany"."""
    pending = to_text(evaluate(baseline(experts=(Expert("E1", (("9", 70),)),))))
    assert (
        "WYNIK PROGNOZOWANY: oczekuje na panel ekspertów" in pending
        and "brak ocen panelu" in pending
    )
    granted = to_text(evaluate(baseline(experts=experts_giving(72), panel=Panel(8, 7, 6, 7))))
    assert "WYNIK PROGNOZOWANY: przyznanie statusu" in granted and "WYNIK: 100/140 pkt" in granted
    assert "nie decyzja Komisji" in granted
    for text in (pending, granted):
        assert "PRZYZNANY" not in text.upper().replace("NIEPRZYZNANY", "") and "STATUS:" not in text
