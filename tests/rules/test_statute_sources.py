"""Issue 9 point 3: each number of a statute profile carries the provision it comes from — data in
the profile (`sources`), not comments in code; a number without its own inherits its rule's."""

from __future__ import annotations

import dataclasses

import pytest

from klaster.rules.statute import (
    EVOLUMA,
    INFOTECH,
    Source,
    StatuteProfileError,
    profile_from_dict,
    profile_to_dict,
    source_of,
)


def test_presets_say_where_their_numbers_come_from():
    assert source_of(INFOTECH, "ga.notice_days") == "000 §8.4"
    assert source_of(INFOTECH, "board.min_meetings_per_month") == "000 §11.3"
    # evoluma's own provisions where it sets a number, the template's elsewhere
    assert source_of(EVOLUMA, "board.quorum.threshold") == "001 dec. 4c"  # inherited from the rule
    assert source_of(EVOLUMA, "ga.notice_days") == "000 §8.4"
    assert source_of(EVOLUMA, "objections.business_days") == "001 dec. 12"
    assert source_of(INFOTECH, "ga.proxy") == ""  # 000 is silent on proxies


def test_sources_travel_with_the_stored_profile():
    data = profile_to_dict(EVOLUMA)
    assert {"path": "ga.notice_days", "paragraph": "000 §8.4"} in data["sources"]
    assert profile_from_dict(data) == EVOLUMA
    del data["sources"]  # a version stored before sources existed still loads
    assert profile_from_dict(data).sources == ()


@pytest.mark.parametrize(
    "sources, field",
    [
        ((Source("ga.notice_dayz", "§1"),), "sources[0].path"),
        ((Source("ga.notice_days", "§1"), Source("ga.notice_days", "§2")), "sources[1].path"),
    ],
)
def test_a_source_for_an_unknown_or_repeated_number_is_refused_naming_it(sources, field):
    with pytest.raises(StatuteProfileError) as error:
        dataclasses.replace(INFOTECH, sources=sources)
    assert error.value.field == field


def test_a_source_needs_a_provision():
    with pytest.raises(StatuteProfileError):
        Source("ga.notice_days", "  ")


def test_a_version_stored_before_sources_is_not_told_its_preset_changed():
    """Provisions are not numbers: a version taken from a preset before the preset carried its
    paragraphs shows no "the preset has changed" warning for them."""
    from klaster.rules.statute import profile_differences

    old = profile_to_dict(EVOLUMA)
    del old["sources"]
    assert profile_differences(old, profile_to_dict(EVOLUMA)) == ()
