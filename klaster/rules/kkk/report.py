"""to_text(): the evaluation as a readable Polish report for the coordinator's office.

Each criterion with its value, threshold or band, verdict and the records it rests on; the
experts' result beside the product's proposal; the what-if list; the readings taken.
"""

from __future__ import annotations

import re

from klaster.rules.kkk.measure import fmt_ids
from klaster.rules.kkk.result import Criterion, Evaluation, Indicator, Value

_TYPES = {
    "micro": "mikro",
    "small": "małe",
    "medium": "średnie",
    "large": "duże",
    "iob": "IOB",
    "science": "jednostki naukowe",
    "other": "pozostali",
}
# The evaluation is the product's forecast from the dataset, never the Commission's decision: it
# says what the scores lead to ("przyznanie"), not that a status was granted.
_STATUS = {
    "granted": "przyznanie statusu",
    "not_granted": "nieprzyznanie statusu",
    "stage3_pending": "oczekuje na panel ekspertów (etap III)",
}
_BASIS_SHOWN = 20
# Polish decimal comma in percentages ("27.50%" → "27,50%") and amounts, the latter grouped
# by thousands ("1500000.00 zł" → "1 500 000,00 zł").
_PERCENT = re.compile(r"\b(\d+)\.(\d{2})(?=%)")
_AMOUNT = re.compile(r"\b(\d+)\.(\d{2})(?= zł)")


def _grouped(match: re.Match[str]) -> str:
    return f"{int(match.group(1)):,}".replace(",", " ") + "," + match.group(2)


def _polish(text: str) -> str:
    return _AMOUNT.sub(_grouped, _PERCENT.sub(r"\1,\2", text))


def _value(value: Value) -> str:
    if value is None:
        return "brak"
    if value is True:
        return "tak"
    if value is False:
        return "nie"
    return _polish(str(value))


def _required(required: str) -> str:
    return (
        required.replace(">=", "≥")
        .replace("true", "tak")
        .replace(" and ", " oraz ")
        .replace("international", "międzynarodowy")
        .replace("R&D", "B+R")
    )


def _criterion(c: Criterion, statement: bool) -> list[str]:
    verdict = (
        "oświadczenie wnioskodawcy" if statement else ("spełnia" if c.passed else "NIE SPEŁNIA")
    )
    mark = "[+]" if c.passed else "[-]"
    lines = [
        f"  {mark} {c.id} {c.title}",
        f"      wartość: {_value(c.value)}; wymagane: {_required(c.required)} — {verdict}",
        f"      podstawa: {fmt_ids(c.basis, _BASIS_SHOWN)}",
    ]
    if c.note and c.note != "statement":
        lines.append(f"      uwagi: {_polish(c.note)}")
    if c.needs:
        lines.append(f"      brakuje: {_polish(c.needs)}")
    return lines


def _indicator(i: Indicator) -> list[str]:
    lines = [
        f"  {i.id} {i.title}: {i.points}/{i.max} pkt",
        f"      wartość: {_value(i.value)}",
        f"      przedział: {_polish(i.band)}",
    ]
    if i.next_band:
        lines.append(f"      następny próg: {_polish(i.next_band)}")
    lines.append(f"      podstawa: {fmt_ids(i.basis, _BASIS_SHOWN)}")
    for remark in i.remarks:
        lines.append(f"      uwagi: {_polish(remark)}")
    return lines


def to_text(evaluation: Evaluation) -> str:
    e = evaluation
    out: list[str] = [
        "OCENA WNIOSKU O STATUS KRAJOWEGO KLASTRA KLUCZOWEGO",
        f"Klaster: {e.cluster}",
        f"Edycja: {e.edition_title}",
        f"Data oceny (D): {e.as_of.isoformat()}",
        "Tryb: "
        + (
            "odnowienie statusu — etap I jest oświadczeniem wnioskodawcy (KKK-4)"
            if e.stage1.statement
            else "nadanie statusu"
        ),
        "",
        "CZŁONKOWIE (tabela 4, z koordynatorem)",
        f"  ogółem: {e.members.total}; przedsiębiorstwa: {e.members.enterprises}; w promieniu 200 km: {e.members.within_200_km}",
        "  " + " · ".join(f"{_TYPES.get(t, t)}: {n}" for t, n in e.members.by_type),
    ]
    if e.members.unplaced:
        out.append(
            f"  bez ustalonej odległości (liczeni jako dalej niż 200 km): {fmt_ids(e.members.unplaced, _BASIS_SHOWN)}"
        )

    failed = [c for c in e.stage1.criteria if not c.passed]
    verdict = (
        "SPEŁNIA (oświadczenie)"
        if e.stage1.statement
        else (
            "SPEŁNIA"
            if e.stage1.passed
            else f"NIE SPEŁNIA ({len(failed)} z {len(e.stage1.criteria)} kryteriów niespełnionych)"
        )
    )
    out += ["", f"ETAP I — ocena merytoryczna wstępna: {verdict}"]
    for c in e.stage1.criteria:
        out += _criterion(c, e.stage1.statement)

    s2 = e.stage2
    out += [
        "",
        f"ETAP II — ocena merytoryczna parametryczna: {s2.total}/{s2.max} pkt (próg {s2.threshold}) — {'zaliczony' if s2.passed else 'NIEZALICZONY'}",
    ]
    if s2.experts:
        exact = s2.experts_exact
        exact_txt = f"{float(exact):.2f}".replace(".", ",") if exact is not None else "?"
        out += [
            f"  Propozycja produktu: {s2.proposal} pkt. Wynik ekspertów ({', '.join(s2.experts)}): {s2.total} pkt",
            f"  (suma średnich ocen ekspertów dla wskaźników = {exact_txt}, zaokrąglona połówkowo w górę na końcu).",
            "  Wynik etapu II to wynik ekspertów; przy wskaźnikach podano propozycję produktu i różnice.",
        ]
    for i in s2.indicators:
        out += _indicator(i)

    out.append("")
    if e.stage3 is None:
        out.append("ETAP III — panel ekspertów: brak ocen panelu")
    else:
        out.append(f"ETAP III — panel ekspertów: {e.stage3.total}/{e.stage3.max} pkt")
        out += [f"  {a.title}: {a.points}/{a.max} pkt" for a in e.stage3.areas]

    out += [
        "",
        f"WYNIK: {e.total}/{e.total_max} pkt (do nadania statusu: etap I spełniony, etap II ≥ {s2.threshold}, razem ≥ {e.total_threshold})",
        f"WYNIK PROGNOZOWANY: {_STATUS[e.status]}",
        "  (obliczenie z danych klastra, nie decyzja Komisji — wynikiem jest dopiero ocena zarejestrowanego wniosku)",
        "",
        "CO PODNIESIE WYNIK (według zyskanych punktów)",
    ]
    gains = [w for w in e.what_if if not w.unlocks]
    if gains:
        out += [f"  +{w.gain} pkt  {w.id}: {_polish(w.action)}" for w in gains]
    else:
        out.append("  — (wszystkie wskaźniki mają maksimum)")
    unlocks = [w for w in e.what_if if w.unlocks]
    if unlocks:
        out.append("Aby spełnić etap I:")
        out += [f"  {w.id}: {_polish(w.action)}" for w in unlocks]

    if e.readings:
        out += ["", "PRZYJĘTE ODCZYTANIA (SPEC §6 i instrukcja 004)"]
        out += [f"  - {r}" for r in e.readings]
    return "\n".join(out) + "\n"
