"""FIN-11 pages and services: the office starts a year's plan (the previous year's lines copied),
edits its lines (a stale form refused), records the General Assembly's approval (planned amounts
frozen), fills in the execution, and records the report's approval once every deviation above
the threshold is explained; organ members read; the report downloads as XLSX."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from klaster.core.concurrency import StaleEdit
from klaster.core.models import AuditLog
from klaster.money import plan_services as services
from klaster.money.models import FinancialPlan, PlanLine
from klaster.money.services import MoneyError

pytestmark = pytest.mark.django_db
D = Decimal


def url(name, **kw):
    return reverse(name, kwargs={"slug": "alfa", **kw})


def _plan(world, year=2026, lines=(("income", "Składki", "60000"), ("cost", "Biuro", "8000"))):
    office = world.users["office"]
    plan = services.create_plan(cluster=world.alfa, user=office, year=year)
    for side, name, planned in lines:
        services.save_line(
            plan=plan, user=office, expected_version=None, side=side, name=name, planned=D(planned)
        )
    plan.refresh_from_db()
    return plan


def _line(plan, name):
    return plan.lines.get(name=name)


def test_fin_11_office_creates_a_plan_and_adds_lines_from_the_page(world, client_for):
    office = client_for("office")
    page = office.get(url("money_plans"))
    assert page.status_code == 200 and "Plany finansowe" in page.content.decode()
    done = office.post(url("money_plans"), {"year": "2026"}, follow=True)
    assert done.redirect_chain[-1][0] == url("money_plan", year=2026)
    plan = FinancialPlan.objects.get(cluster=world.alfa, year=2026)
    for side, name, planned in (("income", "Składki", "60000"), ("cost", "Biuro", "8000.00")):
        version = services.version_of(FinancialPlan.objects.get(pk=plan.pk))
        sent = office.post(
            url("money_plan_line", year=2026),
            {
                "prefix": "new",
                "new-version": version,
                "new-side": side,
                "new-name": name,
                "new-planned": planned,
            },
        )
        assert sent.status_code == 302
    assert [(line.side, line.name, line.planned) for line in plan.lines.order_by("id")] == [
        ("income", "Składki", D("60000.00")),
        ("cost", "Biuro", D("8000.00")),
    ]
    text = office.get(url("money_plan", year=2026)).content.decode()
    assert "Plan finansowy 2026" in text
    assert "<svg" in text and "chart-table" in text  # planned against executed, server-side
    assert "52\xa0000,00\xa0zł" in text  # the result planned: income − costs
    assert AuditLog.objects.filter(model="money.PlanLine", action="create").count() == 2
    again = office.post(url("money_plans"), {"year": "2026"}, follow=True)
    assert "już plan finansowy na 2026" in again.content.decode()


def test_fin_11_next_years_plan_starts_from_the_previous_ones_lines(world):
    plan = _plan(world)
    services.save_line(
        plan=plan,
        user=world.users["office"],
        expected_version=None,
        line_id=_line(plan, "Biuro").pk,
        side="cost",
        name="Biuro",
        planned=D("8000"),
        executed=D("9900"),
        explanation="Nowe biuro",
    )
    nxt = services.create_plan(cluster=world.alfa, user=world.users["office"], year=2027)
    assert sorted(
        (x.side, x.name, x.planned, x.executed, x.explanation) for x in nxt.lines.all()
    ) == [
        ("cost", "Biuro", D("8000.00"), None, ""),
        ("income", "Składki", D("60000.00"), None, ""),
    ]


def test_fin_11_a_stale_line_form_is_refused(world, client_for):
    plan = _plan(world)
    office = client_for("office")
    shown = services.version_of(plan)
    biuro = _line(plan, "Biuro")
    services.save_line(  # somebody else saves first
        plan=plan,
        user=world.users["office"],
        expected_version=shown,
        line_id=biuro.pk,
        side="cost",
        name="Biuro",
        planned=D("9000"),
    )
    with pytest.raises(StaleEdit):
        services.save_line(
            plan=plan,
            user=world.users["office"],
            expected_version=shown,
            side="cost",
            name="Podróże",
            planned=D("100"),
        )
    page = office.post(
        url("money_plan_line", year=2026),
        {
            "prefix": f"l{biuro.pk}",
            f"l{biuro.pk}-version": shown,
            f"l{biuro.pk}-side": "cost",
            f"l{biuro.pk}-name": "Biuro",
            f"l{biuro.pk}-planned": "7000",
        },
        follow=True,
    )
    assert "nic nie zapisano" in page.content.decode()
    assert _line(plan, "Biuro").planned == D("9000.00")
    deleted = office.post(
        url("money_plan_line", year=2026), {"delete": biuro.pk, "version": shown}, follow=True
    )
    assert "nic nie zapisano" in deleted.content.decode()
    assert plan.lines.count() == 2


def test_fin_11_after_the_ga_approval_planned_amounts_are_frozen(world, client_for):
    plan = _plan(world)
    office = client_for("office")
    refused = office.post(
        url("money_plan_approve", year=2026),
        {"version": services.version_of(plan), "what": "plan", "day": "2026-03-20"},
        follow=True,
    )
    assert "uchwałę" in refused.content.decode()
    office.post(
        url("money_plan_approve", year=2026),
        {
            "version": services.version_of(plan),
            "what": "plan",
            "day": "2026-03-20",
            "approval": "Uchwała nr 3/2026 WZ",
        },
    )
    plan.refresh_from_db()
    assert plan.approved_on == dt.date(2026, 3, 20) and plan.approval == "Uchwała nr 3/2026 WZ"
    biuro = _line(plan, "Biuro")
    with pytest.raises(MoneyError) as exc:
        services.save_line(
            plan=plan,
            user=world.users["office"],
            expected_version=None,
            line_id=biuro.pk,
            side="cost",
            name="Biuro",
            planned=D("9000"),
        )
    assert exc.value.field == "planned"
    with pytest.raises(MoneyError):
        services.save_line(
            plan=plan,
            user=world.users["office"],
            expected_version=None,
            side="cost",
            name="Nowa",
            planned=D("1"),
        )
    with pytest.raises(MoneyError):
        services.delete_line(
            plan=plan, user=world.users["office"], expected_version=None, line_id=biuro.pk
        )
    # the executed amount and the explanation still change — through the page, whose frozen
    # fields keep the planned values even if the post says otherwise
    page = office.get(url("money_plan", year=2026) + f"?line={biuro.pk}").content.decode()
    assert "disabled" in page and "Dodaj pozycję" not in page
    office.post(
        url("money_plan_line", year=2026),
        {
            "prefix": f"l{biuro.pk}",
            f"l{biuro.pk}-version": services.version_of(FinancialPlan.objects.get(pk=plan.pk)),
            f"l{biuro.pk}-planned": "1",
            f"l{biuro.pk}-executed": "12000",
            f"l{biuro.pk}-explanation": "",
        },
    )
    biuro.refresh_from_db()
    assert (biuro.planned, biuro.executed) == (D("8000.00"), D("12000.00"))
    text = office.get(url("money_plan", year=2026)).content.decode()
    assert "needs-explanation" in text and "wymaga wyjaśnienia" in text


def test_fin_11_report_approved_only_when_ready_then_nothing_changes(world, client_for):
    plan = _plan(world)
    office_user = world.users["office"]
    with pytest.raises(MoneyError):  # not approved by the GA yet
        services.approve_report(plan=plan, user=office_user, approved_on=dt.date(2027, 3, 1))
    services.approve_plan(
        plan=plan, user=office_user, approved_on=dt.date(2026, 3, 20), approval="Uchwała 3/2026"
    )
    biuro, skladki = _line(plan, "Biuro"), _line(plan, "Składki")
    with pytest.raises(MoneyError) as exc:
        services.approve_report(plan=plan, user=office_user, approved_on=dt.date(2027, 3, 1))
    assert exc.value.field == "report_approved_on"
    for line, executed, why in ((biuro, "12000", ""), (skladki, "59500", "")):
        services.save_line(
            plan=plan,
            user=office_user,
            expected_version=None,
            line_id=line.pk,
            side=line.side,
            name=line.name,
            planned=line.planned,
            executed=D(executed),
            explanation=why,
        )
    office = client_for("office")
    refused = office.post(
        url("money_plan_approve", year=2026),
        {
            "version": services.version_of(FinancialPlan.objects.get(pk=plan.pk)),
            "what": "report",
            "day": "2027-03-01",
        },
        follow=True,
    )
    assert "Biuro" in refused.content.decode()
    assert FinancialPlan.objects.get(pk=plan.pk).report_approved_on is None
    with pytest.raises(MoneyError):  # not before the year is over
        services.approve_report(plan=plan, user=office_user, approved_on=dt.date(2026, 12, 31))
    services.save_line(
        plan=plan,
        user=office_user,
        expected_version=None,
        line_id=biuro.pk,
        side="cost",
        name="Biuro",
        planned=biuro.planned,
        executed=D("12000"),
        explanation="Nowe biuro od lipca",
    )
    office.post(
        url("money_plan_approve", year=2026),
        {
            "version": services.version_of(FinancialPlan.objects.get(pk=plan.pk)),
            "what": "report",
            "day": "2027-03-01",
        },
    )
    plan.refresh_from_db()
    assert plan.report_approved_on == dt.date(2027, 3, 1)
    with pytest.raises(MoneyError):
        services.save_line(
            plan=plan,
            user=office_user,
            expected_version=None,
            line_id=biuro.pk,
            side="cost",
            name="Biuro",
            planned=biuro.planned,
            executed=D("1"),
            explanation="x",
        )
    page = office.get(url("money_plan", year=2026)).content.decode()
    assert "Zatwierdź" not in page and "Edytuj" not in page
    assert AuditLog.objects.filter(model="money.FinancialPlan", action="update").count() == 2


def test_fin_11_organ_members_read_and_do_not_write(world, client_for):
    _plan(world)
    chair = client_for("chair")
    page = chair.get(url("money_plan", year=2026))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Składki" in text and "<form" not in text.split("</header>")[-1].split("<footer")[0]
    assert chair.get(url("money_plans")).status_code == 200
    assert chair.post(url("money_plans"), {"year": "2030"}).status_code == 403
    assert client_for("member").get(url("money_plan", year=2026)).status_code == 403
    assert client_for("office").get(url("money_plan", year=2031)).status_code == 404


def test_fin_11_dues_income_from_the_ledger_is_a_suggestion(money, client_for):
    from klaster.money import services as money_services

    world = money.world
    money_services.dues_run(cluster=money.cluster, through=dt.date(2026, 2, 1))
    plan = _plan(world)
    text = client_for("office").get(url("money_plan", year=2026)).content.decode()
    suggestion = services.dues_suggestion(plan)
    assert suggestion.count == 4 and suggestion.amount > 0
    assert "Dokumenty składkowe wystawione w 2026" in text
    assert _line(plan, "Składki").executed is None  # never filled in by itself


def test_fin_11_execution_report_xlsx_is_formula_safe(world, client_for):
    plan = _plan(world, lines=(("income", '=HYPERLINK("http://x")', "1000"),))
    line = plan.lines.get()
    services.save_line(
        plan=plan,
        user=world.users["office"],
        expected_version=None,
        line_id=line.pk,
        side="income",
        name=line.name,
        planned=line.planned,
        executed=D("2500"),
        explanation="=cmd|' /C calc'!A0",
    )
    response = client_for("chair").get(url("money_plan_report_xlsx", year=2026))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    values = [c.value for c in cells]
    assert '=HYPERLINK("http://x")' in values and 1500 in values and 150.0 in values
    assert "tak" in values  # needs an explanation


def test_fin_11_plan_page_has_no_problem_with_an_empty_plan(world, client_for):
    services.create_plan(cluster=world.alfa, user=world.users["office"], year=2026)
    text = client_for("office").get(url("money_plan", year=2026)).content.decode()
    assert "Plan nie ma pozycji." in text
    assert PlanLine.objects.count() == 0
