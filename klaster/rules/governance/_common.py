"""What every governance result shares: the SPEC rule it applies and its message (a code and
parameters, klaster/rules/message.py), and the closed vocabularies the messages name — the
organs in their Polish cases, the groups a Council or Board should represent."""

from __future__ import annotations

from dataclasses import dataclass

from klaster.rules.message import Msg, Term, define, render
from klaster.rules.statute import StatuteProfile


@dataclass(frozen=True, kw_only=True)
class Explained:
    """A result that explains itself: the SPEC rule it applies and what it says (a `Msg`)."""

    rule_id: str
    message: Msg


# The organs (statute.ORGAN_NAMES_PL): the name, its genitive ("posiedzenie Rady Klastra") and its
# locative ("w Radzie Klastra"); English needs no cases, so its forms only add the article.
define("organ.ga", "General Assembly")
define("organ.ga@gen", "the General Assembly")
define("organ.ga@loc", "the General Assembly")
define("organ.council", "Cluster Council")
define("organ.council@gen", "the Cluster Council")
define("organ.council@loc", "the Cluster Council")
define("organ.council_presidium", "Presidium of the Cluster Council")
define("organ.council_presidium@gen", "the Presidium of the Cluster Council")
define("organ.council_presidium@loc", "the Presidium of the Cluster Council")
define("organ.board", "Cluster Board")
define("organ.board@gen", "the Cluster Board")
define("organ.board@loc", "the Cluster Board")
define("organ.board_presidium", "Presidium of the Cluster Board")
define("organ.board_presidium@gen", "the Presidium of the Cluster Board")
define("organ.board_presidium@loc", "the Presidium of the Cluster Board")

# The groups of 000 §9.1 / §11.2 (statute.GROUP_NAMES_PL).
define("group.micro", "micro-enterprises")
define("group.small", "small firms")
define("group.medium", "medium-sized firms")
define("group.large", "large firms")
define("group.iob", "business support institutions")
define("group.public_authority", "public authorities")
define("group.rd_education", "research, development and education units")


def organ(key: str) -> Term:
    """An organ of the statute (ga, council, council_presidium, board, board_presidium)."""
    return Term("organ", key)


def group(key: str) -> Term:
    return Term("group", key)


NOT_IN_STATUTE = define(
    "statute.not_in_statute",
    "The statute profile “{profile}” has no provision for {what} ({rule}).",
)


class NotInStatute(ValueError):
    """The profile has no rule for what was asked (e.g. objections under `infotech`).

    `what` is a message naming it (in Polish in the genitive: "nie przewiduje: …"); the edge
    renders `message` in its reader's language."""

    def __init__(self, profile: StatuteProfile, what: Msg, rule_id: str) -> None:
        self.rule_id = rule_id
        self.message = Msg.of(NOT_IN_STATUTE, profile=profile.name, what=what, rule=rule_id)
        super().__init__(render(self.message, "en", lambda code, text: text))


SENTENCES = define("text.sentences", "{first} {then}")


def sentences(*messages: Msg) -> Msg:
    """Messages one after another, separated by a space (each is a sentence of its own)."""
    if not messages:
        raise ValueError("sentences() needs at least one message")
    result = messages[-1]
    for m in reversed(messages[:-1]):
        result = Msg.of(SENTENCES, first=m, then=result)
    return result
