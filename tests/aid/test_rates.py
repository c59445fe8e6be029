"""NBP table A EUR rates (AID-2): the shipped series, NBP's API (a local fake NBP speaking its
JSON and its 404 "Brak danych"), NBP's archive CSV, the one door into the stored series, the
`klaster rates update` command, the office's page, and the rate a verdict takes.

AID-2 Reading: a day without a table takes the last table before it; a rate that cannot be had
stops the grant — a network error is never a holiday."""

from __future__ import annotations

import datetime as dt
import http.server
import re
import socket
import threading
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from klaster.aid import engine, rates
from klaster.aid.models import RateSeries, RateTable
from klaster.core.models import AuditLog
from klaster.rules.aid.check import AidRefused
from klaster.rules.calendar import is_business_day
from tests.factories import UndertakingFactory
from tests.money.conftest import klaster

pytestmark = pytest.mark.django_db

SHIPPED = rates.read_shipped()
BY_DAY = {t.date: t for t in SHIPPED.tables}
MID_2025 = dt.date(2025, 6, 30)  # a Monday with a table


def shipped_between(start: dt.date, end: dt.date) -> list[rates.Table]:
    return [t for t in SHIPPED.tables if start <= t.date <= end]


def stored_through(end: dt.date) -> rates.Stored:
    """The shipped series up to ``end``, complete through ``end`` (as if loaded back then)."""
    tables = shipped_between(SHIPPED.tables[0].date, end)
    return rates.store(tables, covered=(tables[0].date, end), source="seria testowa")


def archive_csv(tables: list[rates.Table], *, names: bool = True) -> bytes:
    """NBP's yearly archive layout (archiwum_tab_a_RRRR.csv), Windows-1250 with CRLF: the header
    with every currency, the row of names, one row per table (other currencies' columns are
    NBP's header and filler), the footer rows."""
    codes = ["1THB", "1USD", "1AUD", "1HKD", "1CAD", "1NZD", "1SGD", "1EUR", "100HUF", "1CHF"]
    lines = [";".join(["data", *codes, "nr tabeli", "pełny numer tabeli", ""])]
    if names:
        lines.append(";bat (Tajlandia);dolar amerykański;;;;;;euro;forint (Węgry);;;")
    for t in tables:
        n = t.number.split("/")[0]
        other = ["0,1000"] * 7
        eur = str(t.mid).replace(".", ",")
        lines.append(
            ";".join(
                [
                    t.date.strftime("%Y%m%d"),
                    *other,
                    eur,
                    "1,0000",
                    "4,5000",
                    str(int(n)),
                    t.number,
                    "",
                ]
            )
        )
    lines += [
        "",
        "kod ISO;THB;USD;AUD;HKD;CAD;NZD;SGD;EUR;HUF;CHF;",
        "nazwa waluty;bat (Tajlandia);dolar amerykański;;;;;;euro;forint (Węgry);;",
        "liczba jednostek;1;1;1;1;1;1;1;1;100;1;",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp1250")


# -- a local fake NBP ---------------------------------------------------------------------------


class FakeNbp:
    """NBP's API on 127.0.0.1: `/api/exchangerates/rates/a/eur/{start}/{end}/` answers the
    tables it holds as NBP's JSON, 404 "Brak danych" for a range without one, 400 over 93 days;
    `fail` makes it answer 503."""

    def __init__(self, tables: list[rates.Table]) -> None:
        self.tables = {t.date: t for t in tables}
        self.asked: list[tuple[dt.date, dt.date]] = []
        self.fail = False
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _send(self, status: int, body: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                found = re.fullmatch(
                    r"/api/exchangerates/rates/a/eur/(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})/"
                    r"\?format=json",
                    self.path,
                )
                if fake.fail:
                    return self._send(503, b"Service Unavailable", "text/plain")
                if not found:
                    return self._send(400, b"400 BadRequest - Bledny zakres", "text/plain")
                start, end = (dt.date.fromisoformat(g) for g in found.groups())
                fake.asked.append((start, end))
                if (end - start).days + 1 > 93:
                    return self._send(
                        400, b"400 BadRequest - Przekroczony limit 93 dni", "text/plain"
                    )
                rows = [t for d, t in sorted(fake.tables.items()) if start <= d <= end]
                if not rows:
                    return self._send(404, b"404 NotFound - Brak danych", "text/plain")
                # mid written as NBP writes it: a JSON number with its 4 decimals
                items = ",".join(
                    f'{{"no":"{t.number}","effectiveDate":"{t.date}","mid":{t.mid}}}' for t in rows
                )
                body = f'{{"table":"A","currency":"euro","code":"EUR","rates":[{items}]}}'
                return self._send(200, body.encode(), "application/json; charset=utf-8")

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def nbp(monkeypatch):
    """The fake NBP holding the shipped 2025 tables; KLASTER_NBP_URL points at it."""
    fake = FakeNbp(shipped_between(dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    monkeypatch.setenv("KLASTER_NBP_URL", fake.url)
    yield fake
    fake.close()


@pytest.fixture
def closed_port_url(monkeypatch):
    """An address where nothing listens (a port taken and let go): connection refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/api"
    monkeypatch.setenv("KLASTER_NBP_URL", url)
    return url


def state() -> tuple[dt.date | None, int]:
    return rates.series_state()[0], RateTable.objects.count()


# -- the shipped series ---------------------------------------------------------------------------


def test_aid_2_shipped_series_is_nbp_table_a_on_every_polish_business_day():
    """The offline series (real NBP data) has one table on every Polish business day from its
    first table to the day it is complete through and none on other days, numbered from 001 in
    each year without a gap."""
    first, last = SHIPPED.tables[0].date, SHIPPED.tables[-1].date
    assert SHIPPED.through == last
    assert first.year <= 2020 and last >= dt.date(2025, 12, 31)
    day, expected = first, []
    while day <= last:
        if is_business_day(day):
            expected.append(day)
        day += dt.timedelta(days=1)
    assert [t.date for t in SHIPPED.tables] == expected
    for previous, table in zip(SHIPPED.tables, SHIPPED.tables[1:], strict=False):
        n, year = int(table.number.split("/")[0]), table.date.year
        assert n == (int(previous.number.split("/")[0]) + 1 if previous.date.year == year else 1)
        assert Decimal("3") < table.mid < Decimal("5")


def test_aid_2_shipped_series_values_cross_checked_against_nbp():
    """A few tables as NBP published them (the 2023 and 2024 year-end tables, the first of 2025
    as given by three independent copies of NBP's archive)."""
    assert BY_DAY[dt.date(2023, 12, 29)] == rates.Table(
        dt.date(2023, 12, 29), "251/A/NBP/2023", Decimal("4.3480")
    )
    assert BY_DAY[dt.date(2024, 12, 31)].mid == Decimal("4.2730")
    assert BY_DAY[dt.date(2025, 1, 2)].number == "001/A/NBP/2025"
    assert BY_DAY[dt.date(2025, 1, 2)].mid == Decimal("4.2668")


def test_aid_2_load_shipped_is_idempotent_and_sets_complete_through():
    done = rates.load_shipped()
    assert (done.added, done.complete_through) == (len(SHIPPED.tables), SHIPPED.through)
    assert state() == (SHIPPED.through, len(SHIPPED.tables))
    assert RateTable.objects.get(date=dt.date(2023, 12, 29)).mid == Decimal("4.3480")
    audits = AuditLog.objects.count()
    again = rates.load_shipped()
    assert (again.added, again.unchanged, again.moved) == (0, len(SHIPPED.tables), False)
    assert state() == (SHIPPED.through, len(SHIPPED.tables))
    assert AuditLog.objects.count() == audits  # nothing changed, nothing audited
    assert RateSeries.objects.count() == 1


# -- NBP's API ------------------------------------------------------------------------------------


def test_aid_2_fetch_asks_nbp_in_ranges_of_at_most_93_days(nbp):
    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    got = rates.fetch(start, end)
    assert got == shipped_between(start, end)
    assert all(isinstance(t.mid, Decimal) for t in got)
    assert len(nbp.asked) == 4  # 365 days: 93 + 93 + 93 + 86
    assert nbp.asked[0][0] == start and nbp.asked[-1][1] == end
    for (_a, b), (c, _d) in zip(nbp.asked, nbp.asked[1:], strict=False):
        assert c == b + dt.timedelta(days=1)
    assert max((b - a).days + 1 for a, b in nbp.asked) == 93


def test_aid_2_a_range_without_table_is_nbps_brak_danych_not_an_error(nbp):
    """Christmas 2025 (24–26 December, and the weekend after) has no table: NBP's 404."""
    assert rates.fetch(dt.date(2025, 12, 24), dt.date(2025, 12, 28)) == []
    assert nbp.asked == [(dt.date(2025, 12, 24), dt.date(2025, 12, 28))]


def test_aid_2_update_from_nbp_fetches_after_complete_through(nbp):
    stored_through(MID_2025)
    now = dt.date(2025, 12, 31)
    done = rates.update_from_nbp(now=now)
    assert nbp.asked[0][0] == MID_2025 + dt.timedelta(days=1)
    assert nbp.asked[-1][1] == now
    assert done.added == len(shipped_between(MID_2025 + dt.timedelta(days=1), now))
    # today's table is out: complete through today
    assert done.complete_through == now and done.moved
    assert "NBP" in done.source
    assert RateTable.objects.get(date=now).number == "251/A/NBP/2025"


def test_aid_2_before_todays_table_is_out_complete_through_yesterday(nbp):
    """Today's table appears around noon: until then the series is complete through yesterday,
    and today is not taken for a day without a table."""
    stored_through(MID_2025)
    today = dt.date(2025, 12, 31)
    nbp.tables.pop(today)  # not published yet
    done = rates.update_from_nbp(now=today)
    assert done.complete_through == today - dt.timedelta(days=1)
    nbp.tables[today] = BY_DAY[today]  # published at noon
    later = rates.update_from_nbp(now=today)
    assert (later.added, later.complete_through) == (1, today)


def test_aid_2_network_down_is_an_error_never_a_holiday(closed_port_url):
    """A refused connection (nothing listens on the port) stops the update with a clear message:
    nothing stored, complete_through not moved, the stored series still complete only as far
    as it was."""
    stored_through(MID_2025)
    before = state()
    with pytest.raises(rates.NetworkError) as caught:
        rates.update_from_nbp(now=dt.date(2025, 7, 10))
    assert "127.0.0.1" in str(caught.value)
    assert state() == before
    cluster = UndertakingFactory(nip="5260250274").cluster
    with pytest.raises(AidRefused) as refused:
        engine.verdict(cluster.pk, "5260250274", dt.date(2025, 7, 7))
    assert refused.value.rule_id == "AID-2"


def test_aid_2_nbp_server_error_is_an_error_not_an_empty_range(nbp):
    stored_through(MID_2025)
    before = state()
    nbp.fail = True
    with pytest.raises(rates.NetworkError) as caught:
        rates.update_from_nbp(now=dt.date(2025, 7, 10))
    assert "503" in str(caught.value)
    assert state() == before


def test_aid_2_an_answer_that_is_not_nbps_json_is_refused(monkeypatch):
    """A 200 whose body is not NBP's rates (a captive portal, a proxy's page) is not read."""

    class Portal(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            body = b"<html>Zaloguj sie do sieci</html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Portal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(rates.NetworkError):
            rates.fetch(
                dt.date(2025, 7, 1),
                dt.date(2025, 7, 2),
                url=f"http://127.0.0.1:{server.server_address[1]}/api",
            )
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_aid_2_a_connection_that_speaks_no_http_is_a_network_error():
    """Something answers on the port but not HTTP (a broken proxy): an error, not "no table"."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def garbage():
        conn, _addr = listener.accept()
        with conn:
            conn.recv(1024)
            conn.sendall(b"HELLO THERE\r\n\r\n")

    thread = threading.Thread(target=garbage, daemon=True)
    thread.start()
    try:
        with pytest.raises(rates.NetworkError):
            rates.fetch(
                dt.date(2025, 7, 1),
                dt.date(2025, 7, 2),
                url=f"http://127.0.0.1:{listener.getsockname()[1]}/api",
            )
    finally:
        thread.join(timeout=5)
        listener.close()


# -- the one door: a stored table is never changed, complete_through only forward ----------------


def test_aid_2_a_changed_rate_for_a_stored_day_is_refused_naming_the_day():
    stored_through(MID_2025)
    before = state()
    day = dt.date(2025, 6, 2)
    wrong = rates.Table(day, BY_DAY[day].number, BY_DAY[day].mid + Decimal("0.0001"))
    new = BY_DAY[dt.date(2025, 7, 1)]
    with pytest.raises(rates.RatesError) as caught:
        rates.store([wrong, new], covered=(day, new.date), source="plik")
    assert "2025-06-02" in str(caught.value)
    assert state() == before  # all or nothing: the good new table is not stored either
    renumbered = rates.Table(day, "999/A/NBP/2025", BY_DAY[day].mid)
    with pytest.raises(rates.RatesError, match="2025-06-02"):
        rates.store([renumbered], covered=None, source="plik")


def test_aid_2_complete_through_never_moves_back():
    stored_through(MID_2025)
    older = shipped_between(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    done = rates.load_file(archive_csv(older), name="archiwum_tab_a_2024.csv")
    assert (done.added, done.complete_through, done.moved) == (0, MID_2025, False)


def test_aid_2_a_file_after_a_hole_adds_tables_but_does_not_move_the_series():
    """A file starting after business days the series lacks would make those days take an old
    table: its tables are kept, complete_through stays, and the hole is named."""
    stored_through(MID_2025)
    later = shipped_between(dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    done = rates.load_file(archive_csv(later), name="wrzesien.csv")
    assert done.added == len(later)
    assert done.complete_through == MID_2025 and not done.moved
    assert done.gap == (dt.date(2025, 7, 1), dt.date(2025, 8, 29))


def test_aid_2_a_file_after_a_weekend_and_holiday_continues_the_series():
    """The series ends on Wednesday 31 December 2025; a file starting on Friday 2 January 2026
    continues it (1 January is a holiday). The 2026 rate here is made up for the test: the
    shipped series ends in 2025."""
    stored_through(dt.date(2025, 12, 31))
    data = b"date;number;mid\n2026-01-02;001/A/NBP/2026;4.2200\n"
    done = rates.load_file(data, name="styczen.csv", now=dt.date(2026, 1, 5))
    assert (done.added, done.complete_through, done.moved) == (1, dt.date(2026, 1, 2), True)


def test_aid_2_file_through_option_and_future_refused():
    stored_through(dt.date(2025, 12, 31))
    data = b"date;number;mid\n2026-01-02;001/A/NBP/2026;4.2200\n"
    with pytest.raises(rates.RatesError, match="2026-01-10"):
        rates.load_file(data, name="x.csv", through=dt.date(2026, 1, 10), now=dt.date(2026, 1, 5))
    assert state() == (
        dt.date(2025, 12, 31),
        len(shipped_between(dt.date(2020, 1, 1), dt.date(2025, 12, 31))),
    )
    done = rates.load_file(data, name="x.csv", through=dt.date(2026, 1, 4), now=dt.date(2026, 1, 5))
    assert done.complete_through == dt.date(2026, 1, 4)


# -- NBP's CSV ------------------------------------------------------------------------------------


def test_aid_2_reads_nbps_archive_csv():
    """NBP's archive layout: cp1250, CRLF, names row under the header, footer rows skipped;
    the EUR column by its header, the full table number, decimal commas."""
    sample = shipped_between(dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    parsed = rates.parse_csv(archive_csv(sample), name="archiwum_tab_a_2025.csv")
    assert list(parsed.tables) == sample
    assert parsed.through is None


def test_aid_2_reads_the_older_archive_without_full_number():
    sample = shipped_between(dt.date(2020, 1, 1), dt.date(2020, 1, 10))
    data = archive_csv(sample).decode("cp1250").replace(";pełny numer tabeli", "")
    data = re.sub(r";\d{3}/A/NBP/2020;", ";", data).encode("cp1250")
    assert list(rates.parse_csv(data).tables) == sample


def test_aid_2_simple_csv_with_comma_or_dot_and_complete_through_line():
    data = (
        b"# complete_through: 2025-12-31\n"
        b"date;number;mid\n"
        b"20251230;250/A/NBP/2025;4,2293\n"
        b"2025-12-31;251/A/NBP/2025;4.2267\n"
    )
    parsed = rates.parse_csv(data)
    assert [t.mid for t in parsed.tables] == [Decimal("4.2293"), Decimal("4.2267")]
    assert parsed.through == dt.date(2025, 12, 31)


def test_aid_2_every_bad_row_is_named_in_polish_and_nothing_is_stored():
    data = (
        b"date;number;mid\n"
        b"2025-12-29;249/A/NBP/2025;4.2300\n"
        b"2025-13-01;250/A/NBP/2025;4.2293\n"  # line 3: no such date
        b"2025-12-30;250/A/NBP/2025;4,2x\n"  # line 4: not a number
        b"2025-12-31;251/A/NBP/2024;4.2267\n"  # line 5: the table's year
        b"2025-12-29;249/A/NBP/2025;4.2300\n"  # line 6: the day again
        b"2025-12-31;abc;4.22671\n"  # line 7: number and mid
    )
    with translation.override("pl"), pytest.raises(rates.RatesError) as caught:
        rates.load_file(data, name="zly.csv", now=dt.date(2026, 1, 5))
    problems = caught.value.problems
    text = "\n".join(problems)
    assert "zly.csv" in problems[0]
    for line in ("wiersz 3", "wiersz 4", "wiersz 5", "wiersz 6", "wiersz 7"):
        assert line in text, text
    assert "wiersz 2" not in text
    assert "data" in text and "kurs EUR" in text and "numer tabeli" in text
    assert len(problems) == 1 + 6  # the heading, then line 7 twice (its number, its mid)
    assert state() == (None, 0)


def test_aid_2_file_size_is_bounded_before_parsing():
    data = b"date;number;mid\n" + b"#" * rates.MAX_BYTES
    with pytest.raises(rates.RatesError, match=str(rates.MAX_BYTES)):
        rates.parse_csv(data)


def test_aid_2_a_file_of_another_shape_is_refused():
    with pytest.raises(rates.RatesError):
        rates.parse_csv(b"Data,Kurs\n2025-12-31,4.2267\n")
    with pytest.raises(rates.RatesError):
        rates.parse_csv(b"")


# -- the command ----------------------------------------------------------------------------------


def test_aid_2_command_offline_loads_the_shipped_series(capsys):
    assert klaster(["rates", "update", "--offline"]) == 0
    out = capsys.readouterr().out
    assert f"Dodano tabel: {len(SHIPPED.tables)}" in out
    assert f"Seria kompletna do: {SHIPPED.through.isoformat()}" in out
    assert state() == (SHIPPED.through, len(SHIPPED.tables))


def test_aid_2_command_fetches_from_nbp(nbp, capsys):
    import time_machine

    stored_through(MID_2025)
    # 31 December 2025, 14:00 in Warsaw: the day's table is out
    with time_machine.travel(dt.datetime(2025, 12, 31, 13, 0, tzinfo=dt.UTC), tick=False):
        assert klaster(["rates", "update"]) == 0
    out = capsys.readouterr().out
    assert "Seria kompletna do: 2025-12-31" in out
    assert nbp.url in out
    assert state()[0] == dt.date(2025, 12, 31)


def test_aid_2_command_network_down_exits_2(closed_port_url, capsys):
    stored_through(MID_2025)
    before = state()
    assert klaster(["rates", "update"]) == 2
    err = capsys.readouterr().err
    assert "NBP" in err and "127.0.0.1" in err
    assert state() == before


def test_aid_2_command_reads_nbps_file(tmp_path, capsys):
    stored_through(dt.date(2024, 12, 31))
    path = tmp_path / "archiwum_tab_a_2025.csv"
    path.write_bytes(archive_csv(shipped_between(dt.date(2025, 1, 1), dt.date(2025, 12, 31))))
    assert klaster(["rates", "update", "--file", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Seria kompletna do: 2025-12-31" in out
    assert "archiwum_tab_a_2025.csv" in out
    bad = tmp_path / "zly.csv"
    bad.write_bytes(b"date;number;mid\n2025-12-31;251/A/NBP/2025;4.9999\n")
    assert klaster(["rates", "update", "--file", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "2025-12-31" in err


# -- the rate a verdict takes ---------------------------------------------------------------------


def test_aid_2_verdict_takes_the_last_table_on_or_before_the_day():
    """A Saturday takes Friday's table; after complete_through the grant is refused, never an
    older rate."""
    stored_through(MID_2025)
    u = UndertakingFactory(nip="5260250274")
    saturday = dt.date(2025, 6, 28)
    v = engine.verdict(u.cluster_id, u.nip, saturday, Decimal("4000.00"))
    friday = BY_DAY[dt.date(2025, 6, 27)]
    assert (v.rate.table.date, v.rate.table.number, v.rate.table.mid) == (
        friday.date,
        friday.number,
        friday.mid,
    )
    with pytest.raises(AidRefused) as refused:
        engine.verdict(u.cluster_id, u.nip, MID_2025 + dt.timedelta(days=1), Decimal("4000.00"))
    assert refused.value.rule_id == "AID-2"


# -- the office's page ------------------------------------------------------------------------------


def test_aid_2_page_shows_the_series_and_the_table_of_a_day(
    client_for, django_assert_max_num_queries
):
    stored_through(MID_2025)
    office = client_for("office")
    url = reverse("aid_rates", kwargs={"slug": "alfa"})
    with django_assert_max_num_queries(12):
        page = office.get(url, {"day": "2025-06-28"})
    assert page.status_code == 200
    html = page.content.decode()
    friday = BY_DAY[dt.date(2025, 6, 27)]
    assert friday.number in html and str(friday.mid).replace(".", ",") in html
    assert "30.06.2025" in html  # complete through
    assert html.count("/A/NBP/2025") >= 10  # the last ten tables
    late = office.get(url, {"day": "2025-07-01"}).content.decode()
    assert "30.06.2025" in late or "2025-06-30" in late
    assert 'role="alert"' in late


def test_aid_2_page_upload_stores_or_names_the_bad_row(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    stored_through(MID_2025)
    office = client_for("office")
    url = reverse("aid_rates_upload", kwargs={"slug": "alfa"})
    july = shipped_between(dt.date(2025, 7, 1), dt.date(2025, 7, 31))
    good = SimpleUploadedFile("lipiec.csv", archive_csv(july), "text/csv")
    response = office.post(url, {"file": good, "seen": MID_2025.isoformat()})
    assert response.status_code == 302
    assert state()[0] == dt.date(2025, 7, 31)
    assert AuditLog.objects.filter(model="aid.RateSeries").exists()
    before = state()
    bad = SimpleUploadedFile("zly.csv", b"date;number;mid\n2025-08-01;148/A/NBP/2025;x\n")
    page = office.post(url, {"file": bad, "seen": "2025-07-31"})
    assert page.status_code == 200
    assert "wiersz 2" in page.content.decode()
    assert state() == before


def test_aid_2_page_upload_from_a_stale_page_is_refused(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    stored_through(MID_2025)
    office = client_for("office")
    url = reverse("aid_rates_upload", kwargs={"slug": "alfa"})
    before = state()
    july = shipped_between(dt.date(2025, 7, 1), dt.date(2025, 7, 31))
    one = SimpleUploadedFile("lipiec.csv", archive_csv(july), "text/csv")
    page = office.post(url, {"file": one, "seen": "2025-05-30"})
    assert page.status_code == 200
    assert state() == before
