"""NBP table A EUR rates (AID-2): the stored series, where it comes from, how far it goes.

AID-2 converts a grant's PLN value at the NBP average rate (table A) of the grant day, or of the
last table before it. `klaster.rules.aid.check.rate_on` picks the table from what this module
stores: every table (`RateTable`, shared by all clusters) and the one `RateSeries` row saying
through which day the stored series is complete and where it came from.

Three sources, one door (`store`):
- NBP's public API (`fetch`): `/exchangerates/rates/a/eur/{start}/{end}/?format=json`, at most
  93 days a request; 404 "Brak danych" means the range has no table (a holiday week). Anything
  else that is not an answer — DNS, a refused connection, a timeout, HTTP 5xx, a body that is not
  NBP's JSON — is an error (`NetworkError`): AID-2 Reading, a network error is never a holiday.
- NBP's yearly archive CSV (`archiwum_tab_a_RRRR.csv`: `;`-separated, Windows-1250, a header
  row `data;1THB;1USD;…;1EUR;…;nr tabeli;pełny numer tabeli;`, a row of currency names, one
  row per table with the date as `RRRRMMDD` and decimal commas, and footer rows `kod ISO`,
  `nazwa waluty`, `liczba jednostek`), or a simple `date;number;mid` file (the shipped series
  is one, with `# complete_through: RRRR-MM-DD`). `parse_csv` reads either, all or nothing,
  naming every bad row by its line and field.
- The offline series shipped in `klaster/aid/data/nbp_eur_a.csv` (`load_shipped`).

A stored table is never changed: a file or an answer giving another rate or number for a stored
day is refused naming the day. `complete_through` only moves forward, and only to a day the
source covered without a hole after the stored series: the API covers exactly the asked range
(through today only when today's table is already out — it appears around noon Warsaw time —
else through yesterday); a file covers from its first to its last table (or `--through`), and
continues the series only when every day between the stored end and its first table is a
weekend or a Polish public holiday.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klaster.rules.calendar import is_business_day

DEFAULT_URL = "https://api.nbp.pl/api"
#: NBP answers at most 93 days per request
MAX_DAYS = 93
#: an archive year is ~70 kB; twenty years of them, or of the simple format, fit well below this
MAX_BYTES = 2 * 1024 * 1024
#: at most this many bad rows are named in one refusal (the rest are counted)
MAX_PROBLEMS = 20
TIMEOUT_SECONDS = 15.0
SHIPPED = Path(__file__).resolve().parent / "data" / "nbp_eur_a.csv"

NUMBER = re.compile(r"^(\d{1,3})/A/NBP/(\d{4})$")
FOOTER = ("kod iso", "nazwa waluty", "liczba jednostek")
THROUGH = re.compile(r"^#\s*complete_through:\s*(\S+)\s*$")
FULL_NUMBER = "pełny numer tabeli"


class RatesError(Exception):
    """A source that cannot be used: ``problems`` name each cause (Polish, for the reader)."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class NetworkError(RatesError):
    """NBP did not answer (DNS, refused, timeout, 5xx, not NBP's answer): never "no table"."""


@dataclass(frozen=True)
class Table:
    date: dt.date
    number: str
    mid: Decimal


@dataclass(frozen=True)
class Parsed:
    tables: tuple[Table, ...]  # by date
    through: dt.date | None  # a `# complete_through:` line of the file


@dataclass(frozen=True)
class Stored:
    added: int
    unchanged: int
    complete_through: dt.date | None
    moved: bool  # complete_through moved forward
    source: str
    gap: tuple[dt.date, dt.date] | None = None  # business days between the series and the source


def today() -> dt.date:
    """Today in Warsaw (TIME_ZONE)."""
    return timezone.localdate()


def base_url() -> str:
    """NBP's API root: the setting or KLASTER_NBP_URL (tests point it at a local fake)."""
    url = getattr(settings, "KLASTER_NBP_URL", None) or os.environ.get("KLASTER_NBP_URL")
    return (url or DEFAULT_URL).rstrip("/")


# -- checks shared by the API and the files ----------------------------------------------------


def _mid(text: str) -> Decimal:
    """A mid rate as Decimal: a positive number with at most 4 decimals (ValueError if not)."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(_("not a number")) from None
    if not value.is_finite() or value <= 0 or value >= 100:
        raise ValueError(_("not a rate between 0 and 100 PLN"))
    if value != value.quantize(Decimal("0.0001")):
        raise ValueError(_("more than 4 decimal places"))
    return value.quantize(Decimal("0.0001"))


def _number(text: str, day: dt.date) -> str:
    """A table A number `NNN/A/NBP/RRRR` of ``day``'s year (ValueError if not)."""
    found = NUMBER.match(text.strip())
    if not found:
        raise ValueError(_("not a table A number such as 001/A/NBP/2025"))
    if int(found.group(2)) != day.year:
        raise ValueError(_("the table's year is not the year of its date"))
    return f"{int(found.group(1)):03d}/A/NBP/{found.group(2)}"


# -- NBP's API -------------------------------------------------------------------------------


def _get(url: str, timeout: float) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(4096)
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise NetworkError(
            _("NBP did not answer (%(url)s): %(reason)s. No rate was read or changed.")
            % {"url": url, "reason": reason}
        ) from None


def _chunk(start: dt.date, end: dt.date, url: str, timeout: float) -> list[Table]:
    address = f"{url}/exchangerates/rates/a/eur/{start.isoformat()}/{end.isoformat()}/?format=json"
    status, body = _get(address, timeout)
    if status == 404 and b"Brak danych" in body:
        return []  # NBP's own answer: no table in the range (weekends, holidays)
    if status != 200:
        raise NetworkError(
            _("NBP answered %(status)s to %(url)s instead of the rates. No rate was changed.")
            % {"status": status, "url": address}
        )
    if len(body) > MAX_BYTES:
        raise NetworkError(_("NBP's answer to %(url)s is too large.") % {"url": address})
    try:
        data = json.loads(body, parse_float=Decimal)
        rows = data["rates"]
        tables = []
        for row in rows:
            day = dt.date.fromisoformat(row["effectiveDate"])
            if not start <= day <= end:
                raise ValueError(day)
            mid = row["mid"]
            tables.append(Table(day, _number(str(row["no"]), day), _mid(str(mid))))
    except (ValueError, KeyError, TypeError) as exc:
        raise NetworkError(
            _("NBP's answer to %(url)s is not the table A rates it should be (%(error)s).")
            % {"url": address, "error": exc}
        ) from None
    return tables


def fetch(
    start: dt.date, end: dt.date, *, url: str | None = None, timeout: float = TIMEOUT_SECONDS
) -> list[Table]:
    """Every EUR table A from ``start`` to ``end`` (both included) from NBP's API, asked in
    ranges of at most 93 days; NetworkError when any range gets no proper answer."""
    url = url or base_url()
    tables: list[Table] = []
    chunk_start = start
    while chunk_start <= end:
        chunk_end = min(end, chunk_start + dt.timedelta(days=MAX_DAYS - 1))
        tables.extend(_chunk(chunk_start, chunk_end, url, timeout))
        chunk_start = chunk_end + dt.timedelta(days=1)
    return sorted(tables, key=lambda t: t.date)


# -- CSV files --------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1250", errors="replace")  # NBP's archive files


def _day(text: str) -> dt.date:
    text = text.strip()
    try:
        if re.fullmatch(r"\d{8}", text):
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(_("not a date (RRRRMMDD or RRRR-MM-DD)")) from None


def _problem(line: int, field: str, error: Any) -> str:
    return _("line %(line)s, %(field)s: %(problem)s") % {
        "line": line,
        "field": field,
        "problem": error,
    }


def parse_csv(data: bytes, *, name: str = "") -> Parsed:
    """NBP's archive CSV or a `date;number;mid` file, all or nothing: RatesError naming every
    bad row (line number and field) when anything is wrong."""
    if len(data) > MAX_BYTES:
        raise RatesError(
            _("The file is too large (%(size)s bytes): the limit is %(limit)s bytes.")
            % {"size": len(data), "limit": MAX_BYTES}
        )
    lines = _decode(data).splitlines()
    through: dt.date | None = None
    problems: list[str] = []
    tables: dict[dt.date, tuple[int, Table]] = {}
    columns: tuple[int, int, int | None, int | None] | None = None  # date, mid, number, nr
    archive = False
    for index, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            found = THROUGH.match(line)
            if found:
                try:
                    through = _day(found.group(1))
                except ValueError as exc:
                    problems.append(_problem(index, "complete_through", exc))
            continue
        fields = [f.strip() for f in line.split(";")]
        if columns is None:
            lower = [f.lower() for f in fields]
            if "data" in lower and "1eur" in lower:
                archive = True
                full = lower.index(FULL_NUMBER) if FULL_NUMBER in lower else None
                nr = lower.index("nr tabeli") if "nr tabeli" in lower else None
                if full is None and nr is None:
                    problems.append(_problem(index, _("header"), _("no table number column")))
                    break
                columns = (lower.index("data"), lower.index("1eur"), full, nr)
            elif lower[:3] == ["date", "number", "mid"]:
                columns = (0, 2, 1, None)
            else:
                problems.append(
                    _problem(
                        index,
                        _("header"),
                        _("neither NBP's archive (data;…;1EUR;…) nor date;number;mid"),
                    )
                )
                break
            continue
        first = fields[0].lower()
        if archive and (first == "" or first.startswith(FOOTER)):
            continue  # the currency names under the header; the footer rows
        date_i, mid_i, number_i, nr_i = columns
        if len(fields) <= max(i for i in columns if i is not None):
            problems.append(_problem(index, _("row"), _("too few fields")))
            continue
        try:
            day = _day(fields[date_i])
        except ValueError as exc:
            problems.append(_problem(index, _("date"), exc))
            continue
        row_ok = True
        try:
            mid = _mid(fields[mid_i])
        except ValueError as exc:
            problems.append(_problem(index, _("EUR rate"), exc))
            row_ok = False
        number_text = fields[number_i] if number_i is not None else ""
        if not number_text and nr_i is not None and fields[nr_i].isdigit():
            number_text = f"{int(fields[nr_i]):03d}/A/NBP/{day.year}"  # older archives
        try:
            number = _number(number_text, day)
        except ValueError as exc:
            problems.append(_problem(index, _("table number"), exc))
            row_ok = False
        if not row_ok:
            continue
        if day in tables:
            problems.append(
                _problem(
                    index,
                    _("date"),
                    _("%(date)s is already on line %(other)s")
                    % {"date": day.isoformat(), "other": tables[day][0]},
                )
            )
            continue
        tables[day] = (index, Table(day, number, mid))
    if columns is None and not problems:
        problems.append(_("The file has no header row and no tables."))
    elif not tables and not problems:
        problems.append(_("The file has no table."))
    if problems:
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(_("… and %(n)s more problems.") % {"n": len(problems) - MAX_PROBLEMS})
        label = name or _("the file")
        raise RatesError(
            [_("%(file)s was not read (nothing was stored):") % {"file": label}, *shown]
        )
    ordered = tuple(t for _line, t in sorted(tables.values(), key=lambda p: p[1].date))
    return Parsed(ordered, through)


# -- the one door into the stored series --------------------------------------------------------


def _hole(after: dt.date, before: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first and last business day strictly between ``after`` and ``before``, if any."""
    days = [
        after + dt.timedelta(days=i)
        for i in range(1, (before - after).days)
        if is_business_day(after + dt.timedelta(days=i))
    ]
    return (days[0], days[-1]) if days else None


def store(
    tables: list[Table] | tuple[Table, ...],
    *,
    covered: tuple[dt.date, dt.date] | None,
    source: str,
    user: Any = None,
    cluster: Any = None,
) -> Stored:
    """Add ``tables`` to the stored series and move ``complete_through`` to the end of
    ``covered`` (the days the source covered) when that continues the series. RatesError, with
    nothing changed, when a stored day's table would change."""
    from klaster.aid.models import RateSeries, RateTable
    from klaster.core.audit import audit_record

    with transaction.atomic():
        series = RateSeries.objects.select_for_update().order_by("pk").first()
        if series is None:
            series = RateSeries.objects.create()
            series = RateSeries.objects.select_for_update().get(pk=series.pk)
        stored = {t.date: t for t in RateTable.objects.filter(date__in=[t.date for t in tables])}
        changed = [
            _(
                "%(date)s: table %(number)s, 1 EUR = %(mid)s PLN is stored; the source gives "
                "%(new_number)s, %(new_mid)s PLN"
            )
            % {
                "date": t.date.isoformat(),
                "number": stored[t.date].number,
                "mid": stored[t.date].mid,
                "new_number": t.number,
                "new_mid": t.mid,
            }
            for t in tables
            if t.date in stored and (stored[t.date].number, stored[t.date].mid) != (t.number, t.mid)
        ]
        if changed:
            raise RatesError(
                [_("A stored NBP table is never changed; nothing was stored:"), *changed]
            )
        new = [
            RateTable(date=t.date, number=t.number, mid=t.mid)
            for t in tables
            if t.date not in stored
        ]
        RateTable.objects.bulk_create(new)
        old = series.complete_through
        moved = False
        gap = None
        if covered is not None and covered[0] <= covered[1]:
            start, end = covered
            if old is not None and start > old:
                gap = _hole(old, start)
            if gap is None and (old is None or end > old):
                series.complete_through = end
                series.source = source[:200]
                series.save()
                moved = True
        if new or moved:
            audit_record(
                cluster=cluster,
                user=user,
                action="update",
                instance=series,
                object_repr="NBP tabela A EUR",
                changes={
                    "tables_added": len(new),
                    "complete_through": [
                        old.isoformat() if old else None,
                        series.complete_through.isoformat() if series.complete_through else None,
                    ],
                    "source": source,
                },
                source="aid",
            )
    return Stored(
        added=len(new),
        unchanged=len(tables) - len(new),
        complete_through=series.complete_through,
        moved=moved,
        source=series.source,
        gap=gap,
    )


def series_state() -> tuple[dt.date | None, str]:
    from klaster.aid.models import RateSeries

    series = RateSeries.objects.order_by("pk").first()
    return (series.complete_through, series.source) if series else (None, "")


# -- the three sources --------------------------------------------------------------------------


def read_shipped() -> Parsed:
    return parse_csv(SHIPPED.read_bytes(), name=SHIPPED.name)


def load_shipped(*, user: Any = None, cluster: Any = None) -> Stored:
    """The shipped offline series into the database; loading it again changes nothing."""
    parsed = read_shipped()
    end = parsed.through or parsed.tables[-1].date
    return store(
        parsed.tables,
        covered=(parsed.tables[0].date, end),
        source=_("NBP series shipped with Klaster (through %(date)s)") % {"date": end.isoformat()},
        user=user,
        cluster=cluster,
    )


def load_file(
    data: bytes,
    *,
    name: str,
    through: dt.date | None = None,
    user: Any = None,
    cluster: Any = None,
    now: dt.date | None = None,
) -> Stored:
    """NBP's CSV (or date;number;mid) into the series; ``through`` (else the file's own
    `complete_through`, else its last table) is the last day the file covers."""
    parsed = parse_csv(data, name=name)
    now = now or today()
    end = through or parsed.through or parsed.tables[-1].date
    if end > now:
        raise RatesError(
            _("The file cannot cover %(date)s: that day has not come yet.")
            % {"date": end.isoformat()}
        )
    if end < parsed.tables[-1].date:
        end = parsed.tables[-1].date
    return store(
        parsed.tables,
        covered=(parsed.tables[0].date, end),
        source=_("NBP file %(name)s") % {"name": name},
        user=user,
        cluster=cluster,
    )


def update_from_nbp(
    *, now: dt.date | None = None, url: str | None = None, user: Any = None, cluster: Any = None
) -> Stored:
    """The tables from the day after ``complete_through`` (or the shipped series' first day) to
    today, from NBP's API. Today counts as covered only when today's table is already out."""
    now = now or today()
    through, _source = series_state()
    start = through + dt.timedelta(days=1) if through else read_shipped().tables[0].date
    if start > now:
        return store([], covered=None, source="", user=user, cluster=cluster)
    tables = fetch(start, now, url=url)
    end = now if any(t.date == now for t in tables) else now - dt.timedelta(days=1)
    return store(
        tables,
        covered=(start, end) if end >= start else None,
        source=_("NBP API (%(url)s)") % {"url": url or base_url()},
        user=user,
        cluster=cluster,
    )
