"""The planning pages: each renders for those who may see it, the main actions work through the
forms, and the implementation report's figures are the same in HTML, JSON (API), XLSX and DOCX."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse

from tahub.assessments.models import Need
from tahub.planning import services
from tahub.planning.models import Activity, ActivityReport, Evaluation
from tahub.planning.report import implementation_report
from tahub.reference.models import RegionalCentre, RegionalGroup
from tests.planning.factories import planning_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return planning_world()


def test_every_page_renders_for_the_secretariat(world, personas, client_for):
    client = client_for(personas.secretariat)
    programme, activity, plan = world["programme"], world["activity"], world["plan"]
    report = services.report_create(actor=None, activity=activity, summary="Done.", participations=[(world["kenya"], 2, 3, 0)])
    pages = [
        reverse("planning:index"), reverse("planning:decisions"), reverse("planning:decision_detail", args=[world["decision"].pk]),
        reverse("planning:decision_create"), reverse("planning:plans"), reverse("planning:plan_create"), plan.get_absolute_url(),
        reverse("planning:area_create", args=[plan.pk]), reverse("planning:programmes"), reverse("planning:programme_create"),
        programme.get_absolute_url(), reverse("planning:timeline", args=[programme.pk]), reverse("planning:report", args=[programme.pk]),
        reverse("planning:activity_create", args=[programme.pk]), activity.get_absolute_url(),
        reverse("planning:activity_edit", args=[activity.pk]), reverse("planning:report_create", args=[activity.pk]),
        report.get_absolute_url(), reverse("planning:report_edit", args=[report.pk]),
        reverse("planning:centre", args=["senegal"]), reverse("planning:region", args=["AFRICA"]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url


def test_unanswered_paragraphs_are_flagged_on_the_decision_page(world, client):
    page = client.get(reverse("planning:decision_detail", args=[world["decision"].pk])).content.decode()
    paragraph_5 = page[page.index('id="paragraph-5"'):page.index('id="paragraph-6"')]
    assert "Unanswered" in paragraph_5 and "Nothing answers this paragraph yet" in paragraph_5
    paragraph_4 = page[page.index('id="paragraph-4"'):page.index('id="paragraph-5"')]
    assert "Regional workshop on monitoring" in paragraph_4 and "Unanswered" not in paragraph_4
    listing = client.get(reverse("planning:decisions")).content.decode()
    assert "1 paragraph asking the Secretariat to act has nothing answering it" in listing


def test_a_draft_programme_answers_paragraphs_only_for_those_who_plan(world, personas, client_for):
    draft = services.programme_create(actor=None, plan=world["plan"], start_year=2028)
    services.activity_create(
        actor=None, programme=draft, title="Draft study on reporting", description="Not yet published.",
        type=Activity.Type.GUIDANCE, level=Activity.Level.GLOBAL, lead=Activity.Lead.SECRETARIAT,
        planned_start=date(2028, 2, 1), planned_end=date(2028, 6, 30), paragraphs=[world["other"]],
    )
    url = reverse("planning:decision_detail", args=[world["decision"].pk])
    api = f"/api/v1/decisions/{world['decision'].pk}"

    public = client_for(None).get(url).content.decode()
    paragraph_5 = public[public.index('id="paragraph-5"'):public.index('id="paragraph-6"')]
    assert "Draft study on reporting" not in public and "Unanswered" in paragraph_5
    answers = {p["number"]: p for p in client_for(None).get(api).json()["paragraphs"]}
    assert answers["5"]["answer"] == "unanswered" and answers["5"]["activities"] == []

    secretariat = client_for(personas.secretariat).get(url).content.decode()
    paragraph_5 = secretariat[secretariat.index('id="paragraph-5"'):secretariat.index('id="paragraph-6"')]
    assert "Draft study on reporting" in paragraph_5 and "Unanswered" not in paragraph_5
    answers = {p["number"]: p for p in client_for(personas.secretariat).get(api).json()["paragraphs"]}
    assert answers["5"]["answer"] == "planned" and len(answers["5"]["activities"]) == 1


def test_a_paragraph_names_its_first_activities_and_counts_them_by_programme(world, client, monkeypatch):
    from tahub.planning import selectors

    programme, asked = world["programme"], world["asked"]
    services.activity_create(
        actor=None, programme=programme, title="Follow-up webinar on monitoring", description="One hour.",
        type=Activity.Type.WEBINAR, level=Activity.Level.GLOBAL, lead=Activity.Lead.SECRETARIAT,
        planned_start=date(2026, 9, 1), planned_end=date(2026, 9, 1), paragraphs=[asked],
    )
    monkeypatch.setattr(selectors, "ANSWERS_SHOWN", 1)

    page = client.get(reverse("planning:decision_detail", args=[world["decision"].pk])).content.decode()
    paragraph_4 = page[page.index('id="paragraph-4"'):page.index('id="paragraph-5"')]
    listing = f'href="{programme.get_absolute_url()}?paragraph={asked.pk}">2 activities</a>, 0 delivered'
    assert listing in paragraph_4 and "Regional workshop on monitoring" in paragraph_4
    assert "Follow-up webinar" not in paragraph_4 and "The first activity by date" in paragraph_4

    answering = client.get(programme.get_absolute_url(), {"paragraph": asked.pk}).content.decode()
    assert "The activities answering BC-14/18, paragraph 4." in answering
    assert "Follow-up webinar on monitoring" in answering and "Regional workshop on monitoring" in answering
    assert f'name="paragraph" value="{asked.pk}"' in answering  # kept when other filters are chosen
    other = client.get(programme.get_absolute_url(), {"paragraph": world["other"].pk}).content.decode()
    assert "Follow-up webinar on monitoring" not in other and "No activity matches." in other


def test_centre_staff_add_and_remove_partners_and_budget_lines_on_the_activity_page(world, personas, client_for):
    from tahub.accounts.models import Organisation

    activity = world["activity"]
    unitar = Organisation.objects.get(acronym="UNITAR")
    staff = client_for(personas.centre_senegal)

    added = staff.post(reverse("planning:partner_add", args=[activity.pk]), {"organisation": unitar.pk, "role": "expertise"})
    assert added.status_code == 302 and added["Location"].endswith("#partners")
    page = staff.get(activity.get_absolute_url()).content.decode()
    assert "UNITAR (Expertise)" in page and 'aria-label="Remove UNITAR (Expertise)"' in page
    partner = activity.partners.get()
    staff.post(reverse("planning:partner_remove", args=[activity.pk, partner.pk]))
    euro = activity.budget_lines.get(currency="EUR")
    staff.post(reverse("planning:budget_line_remove", args=[activity.pk, euro.pk]))

    page = staff.get(activity.get_absolute_url()).content.decode()
    assert "UNITAR (Expertise)" not in page and list(activity.budget_lines.values_list("currency", flat=True)) == ["USD"]
    public = client_for(None).get(activity.get_absolute_url()).content.decode()
    assert "Remove" not in public and "Add a partner" not in public


def test_the_secretariats_comment_on_an_approved_report_stays_with_the_activitys_lead(world, personas, client_for):
    report = services.report_create(actor=None, activity=world["activity"], summary="Done.", participations=[(world["kenya"], 2, 3, 0)])
    services.report_submit(actor=None, report=report)
    services.report_approve(actor=personas.secretariat, report=report, comment="Check the invoices before the audit.")
    comment = "Check the invoices before the audit."

    assert comment in client_for(personas.centre_senegal).get(report.get_absolute_url()).content.decode()
    assert comment in client_for(personas.secretariat).get(report.get_absolute_url()).content.decode()
    public = client_for(None).get(report.get_absolute_url())
    assert public.status_code == 200 and "Done." in public.content.decode() and comment not in public.content.decode()
    from tests.api.client import Api

    def comments(api):
        return [r["review_comment"] for r in api.get(f"/activities/{world['activity'].pk}").json()["reports"]]

    assert comments(Api()) == [""] and comments(Api(personas.rfp_grulac)) == [""]
    assert comments(Api(personas.centre_senegal)) == [comment]


def test_the_timeline_places_bars_by_month_and_filters(world, client):
    programme = world["programme"]
    page = client.get(reverse("planning:timeline", args=[programme.pk])).content.decode()
    assert "gantt-bar gs-3 gw-1" in page  # March 2026, one month, planned dates
    page = client.get(reverse("planning:timeline", args=[programme.pk]), {"status": "completed"}).content.decode()
    assert "gantt-bar gs-" not in page.split('class="gantt"', 1)[1].split("</ol>")[0].replace('gantt-year gs-', '')


def test_the_timeline_pages_its_bars_and_keeps_the_filters(world, client, monkeypatch):
    from tahub.planning import views

    programme, area = world["programme"], world["area"]
    services.activity_create(
        actor=None, programme=programme, title="Later webinar on monitoring", description="One hour.",
        type=Activity.Type.WEBINAR, level=Activity.Level.GLOBAL, lead=Activity.Lead.SECRETARIAT,
        planned_start=date(2027, 5, 1), planned_end=date(2027, 5, 1), priority_area=area,
    )
    monkeypatch.setattr(views, "TIMELINE_ROWS", 1)
    url = reverse("planning:timeline", args=[programme.pk])

    first = client.get(url, {"lead": "secretariat"}).content.decode()
    assert "Later webinar on monitoring" in first and "Page 1 of 1" not in first
    everything = client.get(url).content.decode()
    assert "2 activities, 1–1 shown" in everything and "Regional workshop on monitoring" in everything
    assert "Later webinar on monitoring" not in everything and "Page 1 of 2" in everything
    second = client.get(url, {"page": 2}).content.decode()
    assert "Later webinar on monitoring" in second and "gantt-bar gs-17 gw-1" in second  # May 2027


def test_a_region_lists_its_first_activities_and_links_to_them_all(world, personas, client_for, monkeypatch):
    from tahub.planning import views

    monkeypatch.setattr(views, "REGION_ROWS", 0)
    programme = world["programme"]
    page = client_for(personas.rfp_africa).get(reverse("planning:region", args=["AFRICA"]), {"programme": programme.pk})
    assert "Regional workshop on monitoring" not in page.content.decode()
    assert f'href="{programme.get_absolute_url()}?region=AFRICA">All 1 activity of the region' in page.content.decode()


def test_the_programme_list_filters_by_region_and_lead(world, client):
    programme = world["programme"]
    url = programme.get_absolute_url()
    assert "Regional workshop on monitoring" in client.get(url, {"region": "AFRICA"}).content.decode()
    assert "Regional workshop on monitoring" not in client.get(url, {"region": "GRULAC"}).content.decode()
    assert "Regional workshop on monitoring" in client.get(url, {"lead": "centre:senegal"}).content.decode()


def test_drafts_are_for_planners(world, personas, client_for):
    draft = services.programme_create(actor=None, plan=world["plan"], start_year=2028)
    assert client_for(None).get(draft.get_absolute_url()).status_code == 404
    assert client_for(personas.focal_kenya).get(draft.get_absolute_url()).status_code == 404
    assert client_for(personas.centre_senegal).get(draft.get_absolute_url()).status_code == 200
    assert client_for(None).get(world["plan"].get_absolute_url()).status_code == 404  # a draft plan
    assert client_for(personas.rfp_africa).get(world["plan"].get_absolute_url()).status_code == 200


def test_centre_reports_and_the_secretariat_approves_through_the_pages(world, personas, client_for):
    activity, kenya = world["activity"], world["kenya"]
    centre = client_for(personas.centre_senegal)
    form = {
        "summary": "Thirty officers trained.", "final": "on", f"result_{world['result'].pk}": "30",
        "people-TOTAL_FORMS": "2", "people-INITIAL_FORMS": "0", "people-0-country": kenya.pk, "people-0-women": "14",
        "people-0-men": "16", "people-0-unspecified": "0", "people-1-country": "",
        "materials-TOTAL_FORMS": "1", "materials-INITIAL_FORMS": "0", "materials-0-kind": "report", "materials-0-title": "Workshop report",
        "materials-0-url": "", "submit": "1",
    }
    response = centre.post(reverse("planning:report_create", args=[activity.pk]), form)
    report = ActivityReport.objects.get(activity=activity)
    assert response.status_code == 302 and report.status == ActivityReport.Status.SUBMITTED
    assert client_for(personas.centre_senegal).post(reverse("planning:report_review", args=[report.pk, "approve"])).status_code == 403
    response = client_for(personas.secretariat).post(reverse("planning:report_review", args=[report.pk, "approve"]))
    assert response.status_code == 302
    assert Need.objects.get(country=kenya, theme__code="monitoring").status == Need.Status.PARTLY_MET
    evaluation = Evaluation.objects.get(activity=activity)
    focal = client_for(personas.focal_kenya)
    assert focal.get(evaluation.get_absolute_url()).status_code == 200
    focal.post(evaluation.get_absolute_url(), {"usefulness": "5", "outcome": "met", "applied": "A new inspection plan."})
    assert Need.objects.get(country=kenya, theme__code="monitoring").status == Need.Status.MET
    assert client_for(personas.focal_peru).get(evaluation.get_absolute_url()).status_code == 404


def test_the_centre_and_region_views_are_for_their_people(world, personas, client_for):
    centre_url = reverse("planning:centre", args=["senegal"])
    assert client_for(personas.centre_senegal).get(centre_url).status_code == 200
    assert client_for(personas.rfp_africa).get(centre_url).status_code == 200  # it serves Africa
    assert client_for(personas.rfp_grulac).get(centre_url).status_code == 404
    assert client_for(personas.focal_kenya).get(centre_url).status_code == 404
    region_url = reverse("planning:region", args=["AFRICA"])
    page = client_for(personas.rfp_africa).get(region_url).content.decode()
    assert "Regional workshop on monitoring" in page and "Monitoring" in page
    assert client_for(personas.rfp_grulac).get(region_url).status_code == 404


def test_centre_performance_counts_what_was_delivered(world, personas):
    from tahub.planning.selectors import centre_performance

    activity = world["activity"]
    report = services.report_create(actor=None, activity=activity, summary="Done.",
                                    participations=[(world["kenya"], 5, 7, 1), (world["ghana"], 2, 2, 0)])
    services.report_submit(actor=None, report=report)
    services.report_approve(actor=None, report=report)
    figures = centre_performance(RegionalCentre.objects.get(slug="senegal"), since=date(2026, 1, 1), until=date(2029, 12, 31))
    assert figures["delivered"] == 1 and figures["parties"] == 2 and figures["participants"] == 17
    assert figures["women"] == 7
    assert {row["currency"]: row["secured"] for row in figures["funds"]} == {"EUR": 10000, "USD": 40000}


def _numbers(text):
    return [float(n.replace(",", "")) for n in re.findall(r"-?\d[\d,]*(?:\.\d+)?", text)]


def test_the_implementation_report_agrees_in_every_format(world, personas, client_for):
    from docx import Document
    from openpyxl import load_workbook

    activity = world["activity"]
    report = services.report_create(actor=None, activity=activity, summary="Done.", participations=[(world["kenya"], 5, 7, 1)],
                                    indicator_values=[(world["result"], 13, "")])
    services.report_submit(actor=None, report=report)
    services.report_approve(actor=None, report=report)
    services.activity_create(actor=None, programme=world["programme"], title="Guidance", description="d", type=Activity.Type.GUIDANCE,
                             level=Activity.Level.GLOBAL, lead=Activity.Lead.SECRETARIAT, planned_start=date(2026, 6, 1),
                             planned_end=date(2027, 2, 1), themes=list(activity.themes.all()),
                             budget=[{"source": "General trust fund", "currency": "USD", "planned": 7000, "secured": 0, "spent": 0}])
    programme = world["programme"]
    computed = implementation_report(programme, "en")
    expected = {table.key: {row.key: {k: c.value for k, c in row.cells.items()} for row in table.rows} for table in computed.tables()}
    assert expected["by_status"]["completed"]["activities"] == 1 and expected["by_status"]["planned"]["activities"] == 1
    assert expected["by_type"]["workshop"]["participants"] == 13
    assert float(expected["budget"]["USD"]["planned"]) == 57000 and float(expected["budget"]["EUR"]["planned"]) == 10000
    assert float(expected["indicators"][str(world["result"].pk)]["reached"]) == 13
    assert expected["paragraphs"]["BC-14/18"] == {"asked": 2, "delivered": 1, "planned": 0, "unanswered": 1}
    assert expected["needs_by_region"]["AFRICA"]["partly_met"] == 1

    client = client_for(personas.secretariat)
    # JSON (the API's shape)
    data = client.get(reverse("planning:report_download", args=[programme.pk, "json"])).json()
    for table in data["tables"]:
        for row in table["rows"]:
            for key, value in row["values"].items():
                assert float(value or 0) == float(expected[table["key"]][row["key"]][key] or 0), (table["key"], row["key"], key)
    # XLSX: a sheet per table, the row label then the figures
    workbook = load_workbook(io.BytesIO(client.get(reverse("planning:report_download", args=[programme.pk, "xlsx"])).content))
    budget = {row[0]: row[1:] for row in workbook["budget"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert float(budget["USD"][0]) == 57000 and float(budget["EUR"][2]) == 2000
    workshop = next(row for row in workbook["by_type"].iter_rows(values_only=True) if row[0] == "Workshop")
    assert workshop[1:4] == (1, 1, 13)
    # DOCX: the same figures in its tables
    document = Document(io.BytesIO(client.get(reverse("planning:report_download", args=[programme.pk, "docx"])).content))
    text = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "57,000.00" in text and "10,000.00" in text and "13" in text
    # HTML: the same budget figures
    page = client.get(reverse("planning:report", args=[programme.pk])).content.decode()
    assert "57,000.00" in page and "2,000.00" in page
    # Never a sum across currencies
    assert "67,000.00" not in page and "67,000.00" not in text


def test_the_iati_export_is_served_for_a_published_programme(world, client):
    response = client.get(reverse("planning:iati", args=[world["programme"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    assert b"<iati-activities" in response.content and b"14050" in response.content


def test_a_region_filter_value_from_the_address_is_harmless(world, client):
    assert client.get(world["programme"].get_absolute_url(), {"region": "'; drop", "status": "x", "lead": "centre:"}).status_code == 200
    assert RegionalGroup.objects.exists()


def test_the_party_report_lists_the_activities_its_people_took_part_in(world, personas, client_for):
    report = services.report_create(actor=None, activity=world["activity"], summary="Done.", participations=[(world["kenya"], 4, 5, 0)])
    services.report_submit(actor=None, report=report)
    services.report_approve(actor=None, report=report)
    page = client_for(personas.focal_kenya).get(reverse("reports:party", args=["KEN"])).content.decode()
    section = page[page.index("table-party_activities"):]
    assert "Regional workshop on monitoring" in section and ">9<" in section.replace(" ", "")
    ghana_page = client_for(personas.secretariat).get(reverse("reports:party", args=["GHA"])).content.decode()
    assert "Regional workshop on monitoring" not in ghana_page[ghana_page.index("table-party_activities"):]
