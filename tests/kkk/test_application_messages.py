""" "Sprawdź wniosek" speaks codes (issue 9 point 4): a problem's field label and its message
are messages rendered in the reader's language at the edge (KKK-2), while the application's
content stays the official Polish form, its checksum untouched (KKK-3). No database."""

from __future__ import annotations

import copy
import re
from dataclasses import replace

import pytest

from klaster.exchange.demo import demo_cluster
from klaster.rules import kkk_application as ka
from klaster.rules import kkk_form_labels as labels
from klaster.rules.dataset.model import Panel
from klaster.rules.kkk import KkkError, evaluate
from klaster.rules.message import Msg, Term, say
from tests.kkk.test_application_rules import build, complete_extras
from tests.rules.kkk.builders import baseline

POLISH = re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")


@pytest.fixture(scope="module")
def ds():
    data = demo_cluster()
    return replace(
        data,
        funding_applications=tuple(
            replace(a, funded=bool(a.funded)) for a in data.funding_applications
        ),
    )


def _contents(ds):
    return [build(ds, mode=mode)[0] for mode in ("grant", "renewal")]


def test_kkk_2_every_label_of_the_form_has_a_code_whose_polish_is_the_forms_own(ds):
    """The check names a field by its id's code; in Polish that is the stored label word for
    word (the official form), in English it holds no Polish letter."""
    seen = 0
    for content in _contents(ds):
        for _, it in ka.items(content):
            assert it["id"] in labels.ITEMS, it["id"]
            label = ka._label(it)
            assert label.code == labels.ITEMS[it["id"]]
            assert say(label, "pl") == it["label"]
            assert not POLISH.search(say(label, "en")), say(label, "en")
            seen += 1
            for col in it.get("columns", []):
                label = ka._label(it, col)
                assert label.code == labels.COLUMNS[(it["id"], col["key"])]
                assert say(label, "pl") == col["label"]
                assert not POLISH.search(say(label, "en")), say(label, "en")
                seen += 1
    assert seen > 300


def test_kkk_2_attachment_titles_and_table_7_categories_read_in_both_languages(ds):
    for kind, title in ka.ATTACHMENT_TITLES.items():
        term = Term("kkk_attachment", kind)
        assert say(Msg.of(ka.LABEL_AS_STORED, label=term), "pl") == title
        assert not POLISH.search(say(Msg.of(ka.LABEL_AS_STORED, label=term), "en"))
    rows = ka.item(_contents(ds)[0], "7")["rows"]
    assert {r["ref"] for r in rows} == set(labels.CATEGORIES)
    for row in rows:
        category = ka._category(row)
        assert say(Msg.of(ka.LABEL_AS_STORED, label=category), "pl") == row["category"]


def test_kkk_2_a_label_the_form_does_not_declare_is_shown_as_stored():
    it = {"id": "99.x", "label": "Pole z innej edycji"}
    assert say(ka._label(it), "en") == "Pole z innej edycji"


def _tampered(ds, tamper):
    content = copy.deepcopy(build(ds)[0])
    tamper(content)
    return ka.validate(content)


# (what is changed, the field, the problem in Polish as it read when it was a Polish sentence,
# and the English)
CASES = [
    (
        lambda c: ka.item(c, "7")["rows"][0].__setitem__("count", 99),
        "7 Liczba i udział członków według kategorii [micro]: "
        "Przedsiębiorstwa mikro: 99, a tabela 4 daje 26",
        "7 Number and share of members by category [micro]: Micro enterprises: 99, while table 4 "
        "gives 26",
    ),
    (
        lambda c: ka.item(c, "7")["rows"][0].__setitem__("share", "1.00%"),
        "7 Liczba i udział członków według kategorii [micro]: "
        "Przedsiębiorstwa mikro: udział 1.00%, a 26 z 79 to 32.91%",
        "7 Number and share of members by category [micro]: Micro enterprises: share 1.00%, "
        "while 26 of 79 is 32.91%",
    ),
    (
        lambda c: ka.item(c, "4.samodzielne").__setitem__("value", "10.00%"),
        "4.samodzielne Udział przedsiębiorstw samodzielnych w liczbie przedsiębiorstw: "
        "10.00%, a 56 z 62 przedsiębiorstw to 90.32%",
        "4.samodzielne Share of independent enterprises among the enterprises: 10.00%, while 56 "
        "of 62 enterprises is 90.32%",
    ),
    (
        lambda c: ka.item(c, "13.suma").__setitem__("value", "1.00"),
        "13.suma Środki prywatne razem (PLN): 1.00 zł, a suma wkładów z tabeli 13 to 3894000.00 zł",
        "13.suma Private funds in total (PLN): PLN 1.00, while the contributions in table 13 add "
        "up to PLN 3894000.00",
    ),
    (
        lambda c: ka.item(c, "4")["rows"][0].__setitem__("coordinator", False),
        "4 Tabela 4. Członkowie Klastra (stan na dzień złożenia wniosku): "
        "w tabeli 4 brak Koordynatora Klastra",
        "4 Table 4. Cluster members (as on the day the application is filed): table 4 has no "
        "Cluster Coordinator",
    ),
    (
        lambda c: ka.item(c, "3.7").__setitem__("value", "2099-01-01"),
        "3.7 Data formalnego rozpoczęcia działalności (zawarcia umowy Klastra): "
        "data umowy jest późniejsza niż dzień złożenia wniosku",
        "3.7 Date of the formal start of activity (the Cluster agreement): the date of the "
        "agreement is later than the day the application is filed",
    ),
]


@pytest.mark.parametrize(("tamper", "polish", "english"), CASES)
def test_kkk_2_a_problem_reads_as_before_in_polish_and_in_english(ds, tamper, polish, english):
    problems = _tampered(ds, tamper)
    assert polish in [p.text(lambda m: say(m, "pl")) for p in problems]
    assert english in [p.text(lambda m: say(m, "en")) for p in problems]
    assert english in [str(p) for p in problems]  # str() is the English


def test_kkk_2_an_empty_application_lists_its_problems_in_english_without_polish(ds):
    """Required fields, cells, attachments and statements: every label and message has English
    words; Polish letters come only from data (record names are not in these messages)."""
    content, _ = build(ds, ka.Extras())
    problems = ka.validate(content)
    assert {p.kind for p in problems} >= {"required", "attachment", "statement"}
    for p in problems:
        assert isinstance(p.label, Msg) and isinstance(p.message, Msg)
        assert not POLISH.search(p.text(lambda m: say(m, "en"))), str(p)
    polish = [p.text(lambda m: say(m, "pl")) for p in problems]
    assert (
        "7 Liczba i udział członków według kategorii — Zatrudnienie (etaty, średniorocznie 2025) "
        "[science]: brak wartości"
    ) in polish
    assert (
        "Z Załączniki (format PDF) [attachment:2]: brak wymaganego załącznika nr 2 "
        "(Statut lub regulamin Klastra)"
    ) in polish
    assert "O Wnioskodawca oświadcza, że [statement:1]: oświadczenie nr 1 nie zostało złożone" in (
        polish
    )
    english = [p.text(lambda m: say(m, "en")) for p in problems]
    assert (
        "7 Number and share of members by category — Employment (FTE, annual average 2025) "
        "[science]: no value"
    ) in english
    assert "O The applicant states that [statement:1]: statement no. 1 has not been made" in english


def test_kkk_3_the_content_stays_the_polish_form_and_holds_no_message(ds):
    """The stored content (and so its checksum) is plain JSON data in Polish, as before."""
    content = _contents(ds)[0]

    def walk(value):
        assert not isinstance(value, Msg | Term)
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(content)
    assert ka.item(content, "3.2")["label"] == "Adres siedziby Wnioskodawcy"
    assert ka.checksum(content) == ka.checksum(build(ds, complete_extras(ds))[0])


def test_kkk_errors_are_messages_rendered_at_the_edge(ds):
    """KkkError says why as a message: the CLI prints the Polish, str() is the English."""
    with pytest.raises(KkkError) as refused:
        evaluate(ds, edition="2019")
    assert (
        say(refused.value.message, "pl") == "nieznana edycja konkursu KKK: '2019' (dostępne: 2021)"
    )
    assert str(refused.value) == "unknown KKK competition edition: '2019' (available: 2021)"
    with pytest.raises(KkkError) as refused:
        evaluate(replace(ds, as_of=None))
    assert say(refused.value.message, "pl") == (
        "brak daty oceny: podaj --as-of albo as_of w zbiorze danych"
    )
    with pytest.raises(ValueError) as refused_mode:
        ka.with_mode(ds, "x")
    assert isinstance(refused_mode.value, KkkError)
    assert say(refused_mode.value.message, "pl") == "nieznany tryb wniosku: 'x'"
    assert say(refused_mode.value.message, "en") == "unknown application mode: 'x'"


def test_kkk_s3_a_panel_score_out_of_range_reads_in_polish_as_before():
    with pytest.raises(KkkError) as refused:
        evaluate(baseline(panel=Panel(8, 7, 6, 11)))
    assert say(refused.value.message, "pl") == (
        "panel.pandemic: ocena panelu musi być liczbą całkowitą 0–10, jest 11"
    )
    assert "panel.pandemic" in str(refused.value) and not POLISH.search(str(refused.value))
