"""Issue 9 point 9: attendance as a chart — in the minutes PDF (by mode, against the whole list)
and on the meetings page (the last closed General Assemblies, present or represented against
the list) — the same server-side SVG as the pages' other charts (klaster.core.charts)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klaster.governance import services
from tests.governance.conftest import check_in
from tests.kkk.pdftext import pdf_text

pytestmark = pytest.mark.django_db


def _held(gov):
    """Six members in person, two online, the others not; then closed."""
    check_in(gov, gov.members[:6])
    check_in(gov, gov.members[6:8], mode="online")
    services.meeting_open(meeting=gov.ga, user=gov.office, term=1)
    services.meeting_close(meeting=gov.ga, user=gov.office)
    gov.ga.refresh_from_db()


def test_minutes_draw_attendance_by_mode_against_the_list(gov):
    _held(gov)
    html = services.minutes.minutes_html(gov.ga)
    values = re.findall(r"class='chart-bar'[^>]*data-value='([^']*)'", html)
    maxima = set(re.findall(r"class='chart-max'[^>]*data-max='([^']*)'", html))
    listed = gov.ga.attendances.count()
    assert values == ["6", "2", "0", str(listed - 8)]  # in person, online, by proxy, absent
    assert maxima == {str(listed)}
    assert "Obecność według formy udziału" in html
    pdf = services.minutes_pdf(meeting=gov.ga)
    drawn = "".join(pdf_text(pdf).split())  # WeasyPrint draws SVG text glyph by glyph
    assert f"osobiście6/{listed}" in drawn and f"nieobecny{listed - 8}/{listed}" in drawn


def test_meeting_list_draws_the_last_assemblies_attendance_in_fixed_queries(gov, client_for):
    _held(gov)
    c = client_for("office")
    url = reverse("meeting_list", args=["alfa"])
    with CaptureQueriesContext(connection) as ctx:
        r = c.get(url)
    html = r.content.decode()
    assert "Obecność na ostatnich Walnych Zgromadzeniach" in html
    values = re.findall(r"class='chart-bar'[^>]*data-value='([^']*)'", html)
    assert values == ["8"]  # six in person and two online, of the whole list
    maxima = re.findall(r"class='chart-max'[^>]*data-max='([^']*)'", html)
    assert maxima == [str(gov.ga.attendances.count())]
    # a second closed assembly adds a bar, not a query
    second = services.meeting_convene(
        organ=gov.organs["ga"],
        user=gov.office,
        title="WZ nadzwyczajne",
        starts_at=gov.ga.starts_at.replace(month=9),
        notice_sent_at=gov.ga.starts_at.replace(month=8),
    )
    check_in(gov, gov.members[:3], meeting=second, when=second.starts_at)
    services.meeting_open(meeting=second, user=gov.office, term=1)
    services.meeting_close(meeting=second, user=gov.office)
    with CaptureQueriesContext(connection) as again:
        r = c.get(url)
    values = re.findall(r"class='chart-bar'[^>]*data-value='([^']*)'", r.content.decode())
    assert values == ["8", "3"]  # oldest first
    assert len(again) == len(ctx)
