"""GOV-2, GOV-3, GOV-4: the numbers a vote applies, as it records them (JSON-safe, with words)."""

import json

from klaster.rules.governance import applied_numbers, quorum_text
from klaster.rules.statute import EVOLUMA, INFOTECH


def test_gov_2_gov_3_gov_4_evoluma_board_admission_numbers() -> None:
    numbers = applied_numbers(EVOLUMA, "board", "admit_partner").to_dict()
    assert json.loads(json.dumps(numbers)) == numbers
    assert numbers["quorum"]["threshold"] == "4/5" and numbers["quorum"]["counts_proxies"] is True
    assert numbers["majority"] == {
        "kind": "two_thirds_cast_half_present",
        "share": "2/3",
        "strict": False,
        "min_present": "1/2",
        "text": "co najmniej 2/3 głosów oddanych (wstrzymujące się są głosami oddanymi), "
        "przy obecności co najmniej połowy uprawnionych",
    }
    assert (numbers["proxy"]["share_cap"], numbers["proxy"]["count_cap"]) == ("3/10", 3)


def test_gov_2_second_term_and_no_proxies_under_infotech() -> None:
    numbers = applied_numbers(INFOTECH, "ga", "ordinary", term=2).to_dict()
    assert numbers["quorum"]["threshold"] is None
    assert numbers["quorum"]["text"] == "drugi termin: bez względu na liczbę obecnych"
    assert numbers["majority"]["kind"] == "of_votes_cast"
    assert numbers["proxy"] == {
        "share_cap": None,
        "count_cap": None,
        "text": "statut nie przewiduje pełnomocnictw",
    }
    assert (
        quorum_text(INFOTECH.ga.quorum)
        == "co najmniej 50% uprawnionych (osobiście, online lub przez pełnomocnika)"
    )
