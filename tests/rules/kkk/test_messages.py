"""The engine speaks codes (issue 9 point 4): criteria, indicators, steps and readings are
messages rendered at the edge, and `klaster kkk evaluate` prints exactly what it printed when
they were Polish sentences (DATASET.md "What klaster kkk evaluate prints"; KKK-EXPLAIN)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from klaster.rules.dataset.model import Expert, Panel
from klaster.rules.kkk import evaluate, to_json, to_text
from klaster.rules.kkk.cli import main
from klaster.rules.message import Msg, say
from tests.rules.kkk.builders import baseline, cluster, dataset

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parents[1] / "rules" / "dataset" / "data" / "dataset_md_example.yaml"
POLISH = re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")


@pytest.mark.parametrize(("fmt", "golden"), [("json", "json"), ("text", "txt")])
def test_kkk_explain_cli_output_is_byte_identical_to_the_golden_file(fmt, golden):
    """DATASET.md: outside tools read this output; the golden files were printed before the
    engine's texts became codes, and the Polish rendered from the catalogue must equal them."""
    out, err = io.StringIO(), io.StringIO()
    assert main(["evaluate", str(EXAMPLE), "--format", fmt], out, err) == 0
    assert out.getvalue() == (HERE / "golden" / f"dataset_md_example.{golden}").read_text(
        encoding="utf-8"
    )


def _evaluations():
    return [
        evaluate(baseline()),
        evaluate(baseline(panel=Panel(8, 7, 6, 7))),
        evaluate(baseline(experts=(Expert("E1", (("9", 4),)), Expert("E2", (("9", 5),))))),
        evaluate(dataset(cluster=cluster(mode="renewal"))),
        evaluate(dataset()),
    ]


def test_kkk_explain_results_carry_messages_not_sentences():
    """Every text of a result is a code with parameters (language-free), none a sentence."""
    for ev in _evaluations():
        assert isinstance(ev.edition_title, Msg)
        assert all(isinstance(r, Msg) for r in ev.readings)
        for c in ev.stage1.criteria:
            assert isinstance(c.title, Msg)
            assert c.note is None or isinstance(c.note, Msg)
            assert c.needs is None or isinstance(c.needs, Msg)
        for i in ev.stage2.indicators:
            assert isinstance(i.title, Msg) and isinstance(i.band, Msg)
            assert i.next_band is None or isinstance(i.next_band, Msg)
            assert all(isinstance(r, Msg) for r in i.remarks)
            assert not isinstance(i.value, str) or not POLISH.search(i.value)
        assert all(isinstance(w.action, Msg) for w in ev.what_if)
        if ev.stage3 is not None:
            assert all(isinstance(a.title, Msg) for a in ev.stage3.areas)


def test_kkk_explain_the_same_evaluation_reads_in_english():
    """The report and the notes in English hold no Polish letter (the test data has none)."""
    for ev in _evaluations():
        text = to_text(ev, "en")
        assert text.startswith("EVALUATION OF THE APPLICATION FOR KEY NATIONAL CLUSTER STATUS")
        assert not POLISH.search(text), [line for line in text.splitlines() if POLISH.search(line)]
        data = to_json(ev, "en")
        notes = [c.get("note", "") for c in data["stage1"]["criteria"]]
        notes += [i["note"] for i in data["stage2"]["indicators"]]
        assert not any(POLISH.search(n) for n in notes)
        assert to_json(ev)["stage2"]["indicators"][0]["note"] != notes[-26]  # Polish by default


def test_kkk_s1_1_needs_a_count_in_either_language():
    """KKK-S1-1: what is missing, with the noun's form for the count."""
    needs = evaluate(dataset()).stage1.criteria[0].needs
    assert needs is not None
    assert say(needs, "en").endswith("more members needed")
    assert say(needs, "pl").startswith("potrzeba jeszcze ") and say(needs, "pl").endswith(
        " członków"
    )
