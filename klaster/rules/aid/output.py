"""What `klaster aid check` prints: the JSON of AID-DATASET.md (keys in its order) or a Polish
report naming the regulation, the window, the table and the rule that decided."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from klaster.rules.aid.check import RateUsed, Verdict
from klaster.rules.message import Money, Msg, define, say

#: The top-level keys, in the order AID-DATASET.md prints them.
KEYS = (
    "undertaking",
    "date",
    "regulation",
    "members",
    "window",
    "ceiling_eur",
    "rate",
    "counted",
    "used_eur",
    "headroom_eur",
    "headroom_pln",
    "amount",
    "allowed",
    "reason",
)

TITLE = define(
    "aid.report.title",
    "De minimis check of {nip} ({name}) for a grant of {pln} on {date} (AID-1…AID-3)",
)
REGULATION = define("aid.report.regulation", "Regulation: {regulation}. {ceiling}")
DEFAULT_REGULATION = define(
    "aid.report.default_regulation",
    "(without --regulation: 1407/2013 for a day before 1 January 2024, 2023/2831 from then on)",
)
COUNTED_NONE = define("aid.report.counted_none", "Counted aid: none in the window.")
COUNTED_HEAD = define("aid.report.counted", "Counted aid ({n} {n:entry|entries}):")
USED = define(
    "aid.report.used",
    "Used EUR {used} of EUR {ceiling}; headroom EUR {headroom_eur}, that is {headroom_pln} "
    "at the rate of the day (rounded down to the grosz).",
)
AMOUNT = define("aid.report.amount", "This grant: {pln} = EUR {eur}.")
RULE_ALLOWED = define(
    "aid.report.rule_allowed",
    "Rule (AID-3): allowed when used aid + this grant ≤ the ceiling.",
)
RULE_REFUSED = define(
    "aid.report.rule_refused",
    "Rule (AID-3): a grant that would exceed the ceiling is refused whole, never trimmed "
    "(reason: {reason}).",
)


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _rate(rate: RateUsed | None) -> dict[str, str] | None:
    if rate is None:
        return None
    t = rate.table
    return {"table": t.number, "date": t.date.isoformat(), "mid": f"{t.mid:.4f}"}


def to_json(v: Verdict) -> dict[str, Any]:
    """The answer as AID-DATASET.md prints it, keys in its order."""
    return {
        "undertaking": v.undertaking,
        "date": v.date.isoformat(),
        "regulation": v.regulation,
        "members": [{"nip": u.nip, "name": u.name} for u in v.single.members],
        "window": {"from": v.window.start.isoformat(), "to": v.window.end.isoformat()},
        "ceiling_eur": _money(v.ceiling.eur),
        "rate": _rate(v.rate),
        "counted": [
            {
                "id": c.id,
                "undertaking": c.undertaking,
                "member": c.member,
                "regulation": c.regulation,
                "date": c.date.isoformat(),
                "eur": _money(c.eur),
                "rate": _rate(c.rate),
            }
            for c in v.counted
        ],
        "used_eur": _money(v.used_eur),
        "headroom_eur": _money(v.headroom_eur),
        "headroom_pln": _money(v.headroom_pln),
        "amount": {"pln": _money(v.amount_pln), "eur": _money(v.amount_eur)},
        "allowed": v.allowed,
        "reason": v.reason,
    }


def dumps(v: Verdict) -> str:
    """The JSON text: UTF-8 left as is, two-space indent, a newline at the end."""
    return json.dumps(to_json(v), ensure_ascii=False, indent=2) + "\n"


def to_text(v: Verdict, *, named: bool = True, lang: str = "pl") -> str:
    """A readable report (Polish by default). ``named``: the regulation came from --regulation."""
    name = next((u.name for u in v.single.members if u.nip == v.undertaking), "")

    def line(message: Msg) -> str:
        return say(message, lang)

    out = [
        line(Msg.of(TITLE, nip=v.undertaking, name=name, pln=Money(v.amount_pln), date=v.date)),
        "",
    ]
    regulation = line(Msg.of(REGULATION, regulation=v.regulation, ceiling=v.ceiling.message))
    if not named:
        regulation += " " + line(Msg.of(DEFAULT_REGULATION))
    out.append(regulation)
    out.append(line(v.single.message))
    out.append(line(v.window.message))
    out.append(line(v.rate.message))
    if v.counted:
        out.append(line(Msg.of(COUNTED_HEAD, n=len(v.counted))))
        for c in v.counted:
            text = "  - " + line(c.message)
            if c.rate is not None:
                text = text.rstrip(".") + " (" + line(c.rate.message).rstrip(".") + ")."
            out.append(text)
    else:
        out.append(line(Msg.of(COUNTED_NONE)))
    out.append(
        line(
            Msg.of(
                USED,
                used=v.used_eur,
                ceiling=v.ceiling.eur,
                headroom_eur=v.headroom_eur,
                headroom_pln=Money(v.headroom_pln),
            )
        )
    )
    out.append(line(Msg.of(AMOUNT, pln=Money(v.amount_pln), eur=v.amount_eur)))
    out.append("")
    out.append(line(v.message))
    if v.allowed:
        out.append(line(Msg.of(RULE_ALLOWED)))
    else:
        out.append(line(Msg.of(RULE_REFUSED, reason=v.reason)))
    return "\n".join(out) + "\n"
