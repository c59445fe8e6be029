"""Rule messages at the Django edge: the active language decides the words (issue 9 point 4)."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from klaster.core.say import say
from klaster.rules.message import Msg, define, to_json

YES = define("test.edge", "answer: {flag}")


def test_say_renders_in_the_active_language_and_reads_stored_json():
    m = Msg.of(YES, flag=True)
    with translation.override("en"):
        assert say(m) == "answer: yes"
        assert say(to_json(m)) == "answer: yes"
    with translation.override("pl"):
        assert say(m) == "answer: tak"
        assert Template("{% load klaster_format %}{{ m|say }}").render(Context({"m": m})) == (
            "answer: tak"
        )
    assert say(None) == "" and say("plain text") == "plain text"
