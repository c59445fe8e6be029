"""to_text(): the evaluation as a readable report for the coordinator's office (Polish by
default, as `klaster kkk evaluate --format text` prints it).

Each criterion with its value, threshold or band, verdict and the records it rests on; the
experts' result beside the product's proposal; the what-if list; the readings taken. The
report is an edge of the engine's messages: every line is a declared code rendered in `lang`
from the compiled catalogue (klaster.rules.message), without Django.
"""

from __future__ import annotations

import re

from klaster.rules.kkk.measure import fmt_ids
from klaster.rules.kkk.output import Say, sayer
from klaster.rules.kkk.result import Criterion, Evaluation, Indicator, Value
from klaster.rules.message import Msg, define

M = Msg.of

_TYPES = {
    "micro": define("kkk.report.type.micro", "micro"),
    "small": define("kkk.report.type.small", "small"),
    "medium": define("kkk.report.type.medium", "medium"),
    "large": define("kkk.report.type.large", "large"),
    "iob": define("kkk.report.type.iob", "IOB"),
    "science": define("kkk.report.type.science", "science units"),
    "other": define("kkk.report.type.other", "others"),
}
# The evaluation is the product's forecast from the dataset, never the Commission's decision: it
# says what the scores lead to ("przyznanie"), not that a status was granted.
_STATUS = {
    "granted": define("kkk.report.status.granted", "the status granted"),
    "not_granted": define("kkk.report.status.not_granted", "the status not granted"),
    "stage3_pending": define(
        "kkk.report.status.stage3_pending", "waiting for the expert panel (stage III)"
    ),
}
YES = define("kkk.report.yes", "yes")
NO = define("kkk.report.no", "no")
NONE = define("kkk.report.none", "none")
STATEMENT = define("kkk.report.statement", "the applicant's statement")
MEETS = define("kkk.report.meets", "met")
FAILS = define("kkk.report.fails", "NOT MET")
VALUE_LINE = define("kkk.report.value_required", "value: {value}; required: {required} — {verdict}")
VALUE = define("kkk.report.value", "value: {value}")
BASIS = define("kkk.report.basis", "basis: {ids}")
REMARKS = define("kkk.report.remarks", "remarks: {text}")
MISSING = define("kkk.report.missing", "missing: {text}")
BAND = define("kkk.report.band", "band: {text}")
NEXT_BAND = define("kkk.report.next_band", "next band: {text}")
POINTS = define("kkk.report.points", "{title}: {points}/{max} pt")
TITLE = define("kkk.report.title", "EVALUATION OF THE APPLICATION FOR KEY NATIONAL CLUSTER STATUS")
CLUSTER = define("kkk.report.cluster", "Cluster: {name}")
EDITION = define("kkk.report.edition", "Edition: {title}")
AS_OF = define("kkk.report.as_of", "Evaluation date (D): {day}")
MODE_RENEWAL = define(
    "kkk.report.mode.renewal",
    "Mode: status renewal — stage I is the applicant's statement (KKK-4)",
)
MODE_GRANT = define("kkk.report.mode.grant", "Mode: status grant")
MEMBERS = define("kkk.report.members", "MEMBERS (table 4, the coordinator included)")
MEMBER_COUNTS = define(
    "kkk.report.member_counts",
    "total: {total}; enterprises: {enterprises}; within 200 km: {within}",
)
TYPE_COUNT = define("kkk.report.type_count", "{type}: {n}")
UNPLACED = define(
    "kkk.report.unplaced", "no distance established (counted as farther than 200 km): {ids}"
)
S1_STATEMENT = define("kkk.report.stage1.statement", "MET (statement)")
S1_MET = define("kkk.report.stage1.met", "MET")
S1_FAILED = define("kkk.report.stage1.failed", "NOT MET ({failed} of {total} criteria not met)")
STAGE1 = define("kkk.report.stage1", "STAGE I — preliminary merit evaluation: {verdict}")
STAGE2 = define(
    "kkk.report.stage2",
    "STAGE II — parametric merit evaluation: {total}/{max} pt (pass mark {threshold}) — {verdict}",
)
PASSED = define("kkk.report.stage2.passed", "passed")
NOT_PASSED = define("kkk.report.stage2.not_passed", "NOT PASSED")
EXPERTS_1 = define(
    "kkk.report.experts.result",
    "Product's proposal: {proposal} pt. Experts' result ({experts}): {total} pt",
)
EXPERTS_2 = define(
    "kkk.report.experts.exact",
    "(sum of the experts' mean scores for the indicators = {exact}, rounded half up at the end).",
)
EXPERTS_3 = define(
    "kkk.report.experts.counts",
    "The stage II result is the experts' result; the indicators show the product's proposal and "
    "the differences.",
)
STAGE3_NONE = define("kkk.report.stage3.none", "STAGE III — expert panel: no panel scores")
STAGE3 = define("kkk.report.stage3", "STAGE III — expert panel: {total}/{max} pt")
AREA = define("kkk.report.area", "{title}: {points}/{max} pt")
RESULT = define(
    "kkk.report.result",
    "RESULT: {total}/{max} pt (for the status: stage I met, stage II ≥ {threshold}, total ≥ "
    "{total_threshold})",
)
FORECAST = define("kkk.report.forecast", "FORECAST RESULT: {status}")
NOT_A_DECISION = define(
    "kkk.report.not_a_decision",
    "(computed from the cluster's data, not the Commission's decision — only the evaluation of "
    "the registered application is the result)",
)
WHAT_IF = define("kkk.report.what_if", "WHAT WOULD RAISE THE RESULT (by points gained)")
GAIN = define("kkk.report.gain", "+{gain} pt  {id}: {action}")
ALL_MAX = define("kkk.report.all_max", "— (every indicator has its maximum)")
UNLOCK = define("kkk.report.unlock", "To meet stage I:")
READINGS = define("kkk.report.readings", "READINGS TAKEN (SPEC §6 and instruction 004)")

_BASIS_SHOWN = 20
# Polish decimal comma in percentages ("27.50%" → "27,50%") and amounts, the latter grouped
# by thousands ("1500000.00 zł" → "1 500 000,00 zł").
_PERCENT = re.compile(r"\b(\d+)\.(\d{2})(?=%)")
_AMOUNT = re.compile(r"\b(\d+)\.(\d{2})(?= zł)")


def _grouped(match: re.Match[str]) -> str:
    return f"{int(match.group(1)):,}".replace(",", " ") + "," + match.group(2)


def _polish(text: str) -> str:
    return _AMOUNT.sub(_grouped, _PERCENT.sub(r"\1,\2", text))


class _Report:
    """The report's lines in one language."""

    def __init__(self, lang: str) -> None:
        self.polish = (lang or "pl").lower().startswith("pl")
        self.say: Say = sayer(lang)

    def __call__(self, code: str, **params: object) -> str:
        return self.say(M(code, **params))

    def text(self, value: Msg | str) -> str:
        """A note in the reader's notation: decimal commas and grouped amounts in Polish."""
        text = self.say(value) if isinstance(value, Msg) else value
        return _polish(text) if self.polish else text

    def value(self, value: Value) -> str:
        if value is None:
            return self(NONE)
        if value is True:
            return self(YES)
        if value is False:
            return self(NO)
        return self.text(value if isinstance(value, Msg) else str(value))

    def required(self, required: str) -> str:
        text = required.replace(">=", "≥")
        if not self.polish:
            return text.replace("true", "yes")
        return (
            text.replace("true", "tak")
            .replace(" and ", " oraz ")
            .replace("international", "międzynarodowy")
            .replace("R&D", "B+R")
        )

    def ids(self, ids: tuple[str, ...]) -> str:
        shown = fmt_ids(ids, _BASIS_SHOWN)
        return self.say(shown) if isinstance(shown, Msg) else shown

    def criterion(self, c: Criterion, statement: bool) -> list[str]:
        verdict = self(STATEMENT) if statement else self(MEETS if c.passed else FAILS)
        mark = "[+]" if c.passed else "[-]"
        lines = [
            f"  {mark} {c.id} {self.say(c.title)}",
            "      "
            + self(
                VALUE_LINE,
                value=self.value(c.value),
                required=self.required(c.required),
                verdict=verdict,
            ),
            "      " + self(BASIS, ids=self.ids(c.basis)),
        ]
        if c.note is not None and not c.statement:
            lines.append("      " + self(REMARKS, text=self.text(c.note)))
        if c.needs is not None:
            lines.append("      " + self(MISSING, text=self.text(c.needs)))
        return lines

    def indicator(self, i: Indicator) -> list[str]:
        lines = [
            "  " + f"{i.id} " + self(POINTS, title=self.say(i.title), points=i.points, max=i.max),
            "      " + self(VALUE, value=self.value(i.value)),
            "      " + self(BAND, text=self.text(i.band)),
        ]
        if i.next_band is not None:
            lines.append("      " + self(NEXT_BAND, text=self.text(i.next_band)))
        lines.append("      " + self(BASIS, ids=self.ids(i.basis)))
        for remark in i.remarks:
            lines.append("      " + self(REMARKS, text=self.text(remark)))
        return lines


def to_text(evaluation: Evaluation, lang: str = "pl") -> str:
    """The report in `lang` (Polish by default)."""
    e = evaluation
    r = _Report(lang)
    out: list[str] = [
        r(TITLE),
        r(CLUSTER, name=e.cluster),
        r(EDITION, title=e.edition_title),
        r(AS_OF, day=e.as_of.isoformat()),
        r(MODE_RENEWAL) if e.stage1.statement else r(MODE_GRANT),
        "",
        r(MEMBERS),
        "  "
        + r(
            MEMBER_COUNTS,
            total=e.members.total,
            enterprises=e.members.enterprises,
            within=e.members.within_200_km,
        ),
        "  "
        + " · ".join(
            r(TYPE_COUNT, type=M(_TYPES[t]) if t in _TYPES else t, n=n)
            for t, n in e.members.by_type
        ),
    ]
    if e.members.unplaced:
        out.append("  " + r(UNPLACED, ids=r.ids(e.members.unplaced)))

    failed = [c for c in e.stage1.criteria if not c.passed]
    if e.stage1.statement:
        verdict = r(S1_STATEMENT)
    elif e.stage1.passed:
        verdict = r(S1_MET)
    else:
        verdict = r(S1_FAILED, failed=len(failed), total=len(e.stage1.criteria))
    out += ["", r(STAGE1, verdict=verdict)]
    for c in e.stage1.criteria:
        out += r.criterion(c, e.stage1.statement)

    s2 = e.stage2
    out += [
        "",
        r(
            STAGE2,
            total=s2.total,
            max=s2.max,
            threshold=s2.threshold,
            verdict=M(PASSED if s2.passed else NOT_PASSED),
        ),
    ]
    if s2.experts:
        exact = s2.experts_exact
        exact_txt = f"{float(exact):.2f}" if exact is not None else "?"
        if r.polish:
            exact_txt = exact_txt.replace(".", ",")
        out += [
            "  "
            + r(EXPERTS_1, proposal=s2.proposal, experts=", ".join(s2.experts), total=s2.total),
            "  " + r(EXPERTS_2, exact=exact_txt),
            "  " + r(EXPERTS_3),
        ]
    for i in s2.indicators:
        out += r.indicator(i)

    out.append("")
    if e.stage3 is None:
        out.append(r(STAGE3_NONE))
    else:
        out.append(r(STAGE3, total=e.stage3.total, max=e.stage3.max))
        out += ["  " + r(AREA, title=a.title, points=a.points, max=a.max) for a in e.stage3.areas]

    out += [
        "",
        r(
            RESULT,
            total=e.total,
            max=e.total_max,
            threshold=s2.threshold,
            total_threshold=e.total_threshold,
        ),
        r(FORECAST, status=M(_STATUS[e.status])),
        "  " + r(NOT_A_DECISION),
        "",
        r(WHAT_IF),
    ]
    gains = [w for w in e.what_if if not w.unlocks]
    if gains:
        out += ["  " + r(GAIN, gain=w.gain, id=w.id, action=r.text(w.action)) for w in gains]
    else:
        out.append("  " + r(ALL_MAX))
    unlocks = [w for w in e.what_if if w.unlocks]
    if unlocks:
        out.append(r(UNLOCK))
        out += [f"  {w.id}: {r.text(w.action)}" for w in unlocks]

    if e.readings:
        out += ["", r(READINGS)]
        out += [f"  - {r.say(reading)}" for reading in e.readings]
    return "\n".join(out) + "\n"
