"""GOV-2, GOV-3, GOV-4: the numbers a vote applies, as it records them (JSON-safe, with words)."""

import json

from klaster.rules.governance import applied_numbers, quorum_text
from klaster.rules.message import from_json, say
from klaster.rules.statute import EVOLUMA, INFOTECH


def words(stored: dict, lang: str = "pl") -> str:
    """A stored message (the numbers keep their words language-free) read in `lang`."""
    return say(from_json(stored), lang)


def test_gov_2_gov_3_gov_4_evoluma_board_admission_numbers() -> None:
    numbers = applied_numbers(EVOLUMA, "board", "admit_partner").to_dict()
    assert json.loads(json.dumps(numbers)) == numbers
    assert numbers["quorum"]["threshold"] == "4/5" and numbers["quorum"]["counts_proxies"] is True
    text = numbers["majority"].pop("text")
    assert numbers["majority"] == {
        "kind": "two_thirds_cast_half_present",
        "share": "2/3",
        "strict": False,
        "min_present": "1/2",
    }
    assert words(text) == (
        "co najmniej 2/3 głosów oddanych (wstrzymujące się są głosami oddanymi), "
        "przy obecności co najmniej połowy uprawnionych"
    )
    assert words(text, "en") == (
        "at least 2/3 of the votes cast (abstentions are votes cast), "
        "with at least half of those entitled present"
    )
    assert (numbers["proxy"]["share_cap"], numbers["proxy"]["count_cap"]) == ("3/10", 3)


def test_gov_2_second_term_and_no_proxies_under_infotech() -> None:
    numbers = applied_numbers(INFOTECH, "ga", "ordinary", term=2).to_dict()
    assert numbers["quorum"]["threshold"] is None
    assert words(numbers["quorum"]["text"]) == "drugi termin: bez względu na liczbę obecnych"
    assert numbers["majority"]["kind"] == "of_votes_cast"
    assert (numbers["proxy"]["share_cap"], numbers["proxy"]["count_cap"]) == (None, None)
    assert words(numbers["proxy"]["text"]) == "statut nie przewiduje pełnomocnictw"
    assert (
        say(quorum_text(INFOTECH.ga.quorum))
        == "co najmniej 50% uprawnionych (osobiście, online lub przez pełnomocnika)"
    )
