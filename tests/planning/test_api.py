"""The planning API: the public reads decisions, adopted plans and published programmes; those who
plan see drafts; the Secretariat and centre staff create and change activities as the services
allow; a centre reports on its activity and the Secretariat approves the report."""

from datetime import date

import pytest

from tahub.accounts.models import Organisation
from tahub.planning import services
from tahub.planning.models import Activity, ActivityReport, Paragraph
from tahub.reference.models import Convention, Country, RegionalCentre, RegionalGroup, Theme
from tests.api.client import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    """A decision with three paragraphs, an adopted plan with one priority area and expected result,
    a published programme with activities led by the Senegal and Nigeria centres, and a draft one."""
    basel = Convention.objects.get(code="basel")
    meeting = services.meeting_create(
        actor=None, convention=basel, number=16, starts_on=date(2023, 5, 1), ends_on=date(2023, 5, 12), place="Geneva"
    )
    decision = services.decision_create(actor=None, meeting=meeting, symbol="BC-16/5", title="Technical assistance")

    def paragraph(number, text, **values):
        values = {"verb": Paragraph.Verb.REQUESTS, "addressee": Paragraph.Addressee.SECRETARIAT, "asks_action": True, **values}
        return services.paragraph_save(actor=None, decision=decision, number=number, text=text, illustrative=True, **values)

    asked = paragraph("4", "Requests the Secretariat to deliver training.", due_by=date(2027, 6, 30))
    unanswered = paragraph("5", "Requests the Secretariat to report.")
    drafted = paragraph("6", "Requests the Secretariat to prepare guidance.")
    plan = services.plan_create(
        actor=None, title="Technical assistance plan 2026–2029", start_year=2026, end_year=2029, conventions=[basel],
        goal="Strengthen the capacities of Parties.", objectives={basel: "Control transboundary movements."},
    )
    ewaste = Theme.objects.get(code="waste_management.ewaste")
    africa = RegionalGroup.objects.get(code="AFRICA")
    area = services.priority_area_create(
        actor=None, plan=plan, title="E-waste", themes=[ewaste], rationale="Reported often.", regional_groups=[africa],
    )
    result = services.expected_result_add(
        actor=None, area=area, text="People trained", indicator="People trained", unit="people", target=100
    )
    services.plan_adopt(actor=None, plan=plan, decision=decision)
    published = services.programme_create(actor=None, plan=plan, start_year=2026)
    services.programme_publish(actor=None, programme=published)
    draft = services.programme_create(actor=None, plan=plan, start_year=2028)

    def activity(programme, title, centre, **values):
        return services.activity_create(
            actor=None, programme=programme, title=title, description="Three days, hands-on.",
            type=Activity.Type.WORKSHOP, level=Activity.Level.REGIONAL, lead=Activity.Lead.CENTRE,
            lead_centre=RegionalCentre.objects.get(slug=centre), planned_start=values.pop("start", date(2026, 3, 1)),
            planned_end=values.pop("end", date(2026, 3, 3)), themes=[ewaste], conventions=[basel], **values,
        )

    senegal = activity(
        published, "Regional workshop on e-waste inventories", "senegal", priority_area=area, paragraphs=[asked],
        countries=list(Country.objects.filter(iso3__in=["KEN", "SEN"])), regional_groups=[africa], languages=["en", "fr"],
        budget=[
            {"source": "Voluntary contribution", "currency": "USD", "planned": 50000, "secured": 40000},
            {"source": "Host country", "currency": "EUR", "planned": 10000, "secured": 10000, "spent": 2500},
        ],
    )
    nigeria = activity(published, "Webinar on e-waste take-back", "nigeria", start=date(2026, 5, 1), end=date(2026, 5, 1))
    planned = activity(draft, "Guidance on e-waste inventories", "senegal", start=date(2028, 2, 1), end=date(2028, 6, 30),
                       paragraphs=[drafted])
    draft_report = services.report_create(actor=None, activity=senegal, summary="Draft: 25 officers trained.")
    return {
        "decision": decision, "asked": asked, "unanswered": unanswered, "drafted": drafted, "plan": plan, "area": area,
        "result": result, "published": published, "draft": draft, "senegal": senegal, "nigeria": nigeria,
        "planned": planned, "draft_report": draft_report,
    }


def body(**overrides):
    """A new activity as an API client sends it."""
    values = {
        "title": "National workshop on e-waste", "description": "Two days for customs officers.",
        "type": "workshop", "level": "national", "themes": ["waste_management.ewaste"], "conventions": ["basel"],
        "countries": ["KEN"], "lead": "secretariat", "planned_start": "2026-09-01", "planned_end": "2026-09-02",
    }
    values.update(overrides)
    return values


def details(answer):
    return {detail["field"]: detail["messages"] for detail in answer.json()["error"]["details"]}


def test_the_public_reads_a_published_programmes_activities(world):
    public = Api()

    listed = public.get("/activities", {"programme": world["published"].pk})

    assert listed.status_code == 200, listed.content
    assert [item["title"] for item in listed.json()["items"]] == [
        "Regional workshop on e-waste inventories", "Webinar on e-waste take-back",
    ]
    assert [item["code"] for item in public.get("/activities", {"lead": "centre:nigeria"}).json()["items"]] == [
        world["nigeria"].code
    ]
    assert public.get("/activities", {"region": "AFRICA"}).json()["count"] == 1
    assert public.get("/activities", {"theme": "waste_management"}).json()["count"] == 2

    detail = public.get(f"/activities/{world['senegal'].pk}").json()
    assert (detail["lead"], detail["lead_centre"], detail["centre_own"], detail["status"]) == ("centre", "senegal", False, "planned")
    assert detail["url"] == world["senegal"].get_absolute_url()
    assert (detail["countries"], detail["regions"], detail["themes"]) == (["KEN", "SEN"], ["AFRICA"], ["waste_management.ewaste"])
    assert (detail["priority_area"], detail["paragraphs"], detail["languages"]) == (world["area"].pk, [world["asked"].pk], ["en", "fr"])
    # Who plans sees which requests and matches an activity answers; the public does not, nor draft reports.
    assert (detail["requests"], detail["matches"], detail["reports"]) == (None, None, [])
    assert (detail["can_change"], detail["can_report"]) == (False, False)

    programmes = public.get("/programmes").json()
    assert [(item["biennium"], item["activity_count"]) for item in programmes] == [("2026–2027", 2)]
    plan = public.get(f"/plans/{world['plan'].pk}").json()
    assert (plan["status"], plan["adopted_by"], plan["conventions"]) == ("adopted", "BC-16/5", ["basel"])
    [area] = plan["priority_areas"]
    assert (area["themes"], area["regions"], area["evidence"], area["needs"]) == (["waste_management.ewaste"], ["AFRICA"], {}, [])
    assert [(r["id"], r["unit"], r["baseline"], r["target"]) for r in area["results"]] == [
        (world["result"].pk, "people", "0.00", "100.00")
    ]


def test_a_draft_programmes_activities_are_seen_only_by_those_who_plan(world, personas):
    draft, planned = world["draft"], world["planned"]

    for outsider in (Api(), Api(personas.focal_kenya)):
        assert outsider.get(f"/activities/{planned.pk}").status_code == 404
        assert outsider.get("/activities", {"programme": draft.pk}).status_code == 404
        assert outsider.get(f"/programmes/{draft.pk}").status_code == 404
        assert planned.code not in [item["code"] for item in outsider.get("/activities").json()["items"]]

    secretariat = Api(personas.secretariat)
    seen = secretariat.get(f"/activities/{planned.pk}")
    assert seen.status_code == 200
    assert (seen.json()["requests"], seen.json()["matches"]) == ([], [])
    assert [item["code"] for item in secretariat.get("/activities", {"programme": draft.pk}).json()["items"]] == [planned.code]
    assert secretariat.get(f"/programmes/{draft.pk}").json()["status"] == "draft"
    assert Api(personas.centre_senegal).get(f"/activities/{planned.pk}").status_code == 200


def test_the_secretariat_creates_an_activity(world, personas):
    unitar = Organisation.objects.get(acronym="UNITAR")

    created = Api(personas.secretariat).send("post", f"/programmes/{world['published'].pk}/activities", body(
        lead="partner", lead_organisation=unitar.pk, countries=["ken", "SEN"], regions=["AFRICA"], languages=["en"],
        priority_area=world["area"].pk, paragraphs=[world["unanswered"].pk],
        partners=[{"organisation": unitar.pk, "role": "implementing"}],
    ))

    assert created.status_code == 201, created.content
    activity = created.json()
    assert activity["code"].startswith("2026-") and activity["programme"] == world["published"].pk
    assert (activity["lead"], activity["lead_organisation"]["name"], activity["centre_own"]) == ("partner", "UNITAR", False)
    assert (activity["countries"], activity["regions"], activity["paragraphs"]) == (["KEN", "SEN"], ["AFRICA"], [world["unanswered"].pk])
    assert [{k: v for k, v in p.items() if k != "id"} for p in activity["partners"]] == [
        {"organisation": {"id": unitar.pk, "name": "UNITAR", "acronym": "UNITAR"}, "role": "implementing"},
    ]
    assert activity["can_change"] and activity["can_report"]
    stored = Activity.objects.get(pk=activity["id"])
    assert stored.created_by == personas.secretariat and stored.history.count() == 1


def test_an_activity_code_already_taken_is_refused(world, personas):
    taken = world["senegal"].code
    api = Api(personas.secretariat)

    refused = api.send("post", f"/programmes/{world['published'].pk}/activities", body(code=taken))

    assert refused.status_code == 422, refused.content
    assert refused.json()["error"]["details"] == [{"field": "code", "messages": ["Another activity has this code."]}]
    assert Activity.objects.filter(code=taken).count() == 1


def test_centre_staff_create_their_centres_own_activities_only(world, personas):
    centre = Api(personas.centre_senegal)
    url = f"/programmes/{world['published'].pk}/activities"

    own = centre.send("post", url, body(lead="centre", lead_centre="senegal"))

    assert own.status_code == 201, own.content
    assert (own.json()["lead"], own.json()["lead_centre"], own.json()["centre_own"]) == ("centre", "senegal", True)
    before = Activity.objects.count()
    assert centre.send("post", url, body(lead="centre", lead_centre="nigeria")).status_code == 403
    assert Api(personas.focal_kenya).send("post", url, body(lead="centre", lead_centre="senegal")).status_code == 403
    assert Api().send("post", url, body()).status_code == 401
    assert Activity.objects.count() == before


def test_centre_staff_change_their_centres_activity_and_not_anothers(world, personas):
    centre = Api(personas.centre_senegal)

    changed = centre.send("patch", f"/activities/{world['senegal'].pk}", {
        "title": "Regional workshop on e-waste inventories and flows", "lead_centre": "nigeria", "countries": ["GHA"],
    })

    assert changed.status_code == 200, changed.content
    # The leading centre stays: centre staff keep the activity their centre's.
    assert (changed.json()["title"], changed.json()["lead_centre"], changed.json()["countries"]) == (
        "Regional workshop on e-waste inventories and flows", "senegal", ["GHA"],
    )
    assert changed.json()["regions"] == ["AFRICA"]  # not sent: unchanged
    refused = centre.send("patch", f"/activities/{world['nigeria'].pk}", {"title": "Taken over"})
    assert refused.status_code == 403
    assert Api(personas.rfp_africa).send("patch", f"/activities/{world['senegal'].pk}", {"title": "x"}).status_code == 403
    world["nigeria"].refresh_from_db()
    assert world["nigeria"].title == "Webinar on e-waste take-back"

    moved = centre.send("post", f"/activities/{world['senegal'].pk}/status", {"status": "postponed"})
    assert moved.status_code == 422 and "status_reason" in details(moved)
    moved = centre.send("post", f"/activities/{world['senegal'].pk}/status", {"status": "postponed", "reason": "Venue closed."})
    assert (moved.status_code, moved.json()["status"], moved.json()["status_reason"]) == (200, "postponed", "Venue closed.")
    assert centre.send("post", f"/activities/{world['nigeria'].pk}/status", {"status": "ongoing"}).status_code == 403


def test_unknown_codes_are_refused_naming_the_fields_before_anything_is_written(world, personas):
    before = Activity.objects.count()

    refused = Api(personas.secretariat).send("post", f"/programmes/{world['published'].pk}/activities", body(
        themes=["waste_management.ewaste", "no.such.theme"], countries=["KEN", "XYZ"], paragraphs=[987654],
        lead="centre", lead_centre="atlantis", languages=["tlh"],
    ))

    assert refused.status_code == 422
    fields = details(refused)
    assert set(fields) == {"themes", "countries", "paragraphs", "lead_centre", "languages"}
    assert "no.such.theme" in fields["themes"][0] and "XYZ" in fields["countries"][0]
    assert Activity.objects.count() == before
    patched = Api(personas.secretariat).send("patch", f"/activities/{world['senegal'].pk}", {"themes": ["nope"], "title": "x"})
    assert patched.status_code == 422 and set(details(patched)) == {"themes"}
    world["senegal"].refresh_from_db()
    assert world["senegal"].title == "Regional workshop on e-waste inventories"


def test_budget_lines_come_back_each_in_its_own_currency(world, personas):
    secretariat = Api(personas.secretariat)
    lines = [
        {"source": "Voluntary contribution", "currency": "CHF", "planned": "12000.50", "secured": 6000},
        {"source": "Voluntary contribution", "currency": "USD", "planned": 8000},
    ]

    created = secretariat.send("post", f"/programmes/{world['published'].pk}/activities", body(budget_lines=lines))

    assert created.status_code == 201, created.content
    assert [{k: v for k, v in line.items() if k != "id"} for line in created.json()["budget_lines"]] == [
        {"source": "Voluntary contribution", "funder": None, "currency": "CHF", "planned": "12000.50", "secured": "6000.00", "spent": "0.00"},
        {"source": "Voluntary contribution", "funder": None, "currency": "USD", "planned": "8000.00", "secured": "0.00", "spent": "0.00"},
    ]
    changed = secretariat.send("patch", f"/activities/{created.json()['id']}", {
        "budget_lines": [{"source": "Voluntary contribution", "currency": "USD", "planned": 8000, "secured": 8000, "spent": 1200}],
    })
    assert [(line["currency"], line["secured"], line["spent"]) for line in changed.json()["budget_lines"]] == [
        ("CHF", "6000.00", "0.00"), ("USD", "8000.00", "1200.00"),
    ]
    public = Api().get(f"/activities/{world['senegal'].pk}").json()
    assert [(line["currency"], line["planned"]) for line in public["budget_lines"]] == [("EUR", "10000.00"), ("USD", "50000.00")]
    refused = secretariat.send("post", f"/programmes/{world['published'].pk}/activities", body(
        budget_lines=[{"source": "Trust fund", "currency": "XXX", "planned": 1}]
    ))
    assert refused.status_code == 422


def test_a_partner_and_a_budget_line_are_removed_by_those_who_change_the_activity(world, personas):
    from tahub.planning.models import BudgetLine, Partner

    activity = world["senegal"]
    unitar = Organisation.objects.get(acronym="UNITAR")
    partner = services.partner_add(actor=None, activity=activity, organisation=unitar, role="funding")
    line = activity.budget_lines.order_by("currency").first()
    centre, outsider = Api(personas.centre_senegal), Api(personas.rfp_grulac)

    assert outsider.send("delete", f"/activities/{activity.pk}/partners/{partner.pk}").status_code == 403
    assert centre.send("delete", f"/activities/{activity.pk}/partners/{partner.pk}").status_code == 204
    assert centre.send("delete", f"/activities/{activity.pk}/budget-lines/{line.pk}").status_code == 204
    assert centre.send("delete", f"/activities/{activity.pk}/budget-lines/{line.pk}").status_code == 404

    detail = Api().get(f"/activities/{activity.pk}").json()
    assert partner.pk not in [p["id"] for p in detail["partners"]] and line.pk not in [b["id"] for b in detail["budget_lines"]]
    removed = Partner.history.filter(id=partner.pk, history_type="-").get()
    assert removed.history_user == personas.centre_senegal
    assert BudgetLine.history.filter(id=line.pk, history_type="-").get().history_user == personas.centre_senegal


def test_a_centre_reports_and_the_secretariat_approves(world, personas):
    centre, secretariat = Api(personas.centre_senegal), Api(personas.secretariat)
    activity = world["senegal"]

    created = centre.send("post", f"/activities/{activity.pk}/reports", {
        "summary": "25 officers trained on e-waste inventories.",
        "participations": [{"country": "KEN", "women": 6, "men": 8}, {"country": "sen", "women": 5, "men": 5, "unspecified": 1}],
        "materials": [{"kind": "training", "title": "Inventory toolkit", "url": "https://example.org/toolkit"}],
        "indicator_values": [{"result": world["result"].pk, "value": "25", "note": "Officers trained"}],
    })

    assert created.status_code == 201, created.content
    report = created.json()
    assert (report["status"], report["activity"], report["final"]) == ("draft", activity.pk, True)
    assert report["participants"] == {"total": 25, "women": 11, "men": 13, "unspecified": 1}
    assert [(row["country"], row["total"]) for row in report["participations"]] == [("KEN", 14), ("SEN", 11)]
    assert report["indicator_values"] == [{"result": world["result"].pk, "value": "25.00", "note": "Officers trained"}]
    url = f"/reports/{report['id']}"
    assert Api(personas.focal_kenya).send("post", f"{url}/submit").status_code == 404  # a draft is not public

    submitted = centre.send("post", f"{url}/submit")
    assert (submitted.status_code, submitted.json()["status"]) == (200, "submitted")
    assert centre.send("post", f"{url}/approve").status_code == 403
    assert centre.send("post", f"{url}/return", {"comment": "Add the agenda."}).status_code == 403

    approved = secretariat.send("post", f"{url}/approve", {"comment": "Thank you."})
    assert (approved.status_code, approved.json()["status"]) == (200, "approved")
    activity.refresh_from_db()
    assert activity.status == Activity.Status.COMPLETED
    public = Api().get(f"/activities/{activity.pk}").json()
    assert [item["id"] for item in public["reports"]] == [report["id"]]  # the draft report stays unseen
    assert public["reports"][0]["participants"]["total"] == 25


def test_the_secretariat_returns_a_report_saying_what_should_change(world, personas):
    report = services.report_submit(actor=None, report=world["draft_report"])
    secretariat = Api(personas.secretariat)

    refused = secretariat.send("post", f"/reports/{report.pk}/return", {"comment": "  "})
    assert refused.status_code == 422 and "comment" in details(refused)
    returned = secretariat.send("post", f"/reports/{report.pk}/return", {"comment": "Add the participants."})

    assert (returned.status_code, returned.json()["status"], returned.json()["review_comment"]) == (
        200, "returned", "Add the participants."
    )
    assert ActivityReport.objects.get(pk=report.pk).reviewed_by == personas.secretariat


def test_report_outputs_name_known_countries_and_results(world, personas):
    refused = Api(personas.centre_senegal).send("post", f"/activities/{world['senegal'].pk}/reports", {
        "summary": "Done.", "participations": [{"country": "XYZ", "women": 1}], "indicator_values": [{"result": 987654, "value": 1}],
    })

    assert refused.status_code == 422
    assert set(details(refused)) == {"participations", "indicator_values"}
    assert world["senegal"].reports.count() == 1
    assert Api(personas.rfp_africa).send(
        "post", f"/activities/{world['senegal'].pk}/reports", {"summary": "Done."}
    ).status_code == 403


def test_the_decisions_list_shows_what_answers_each_paragraph(world, personas):
    def paragraphs(api):
        [decision] = [item for item in api.get("/decisions").json() if item["symbol"] == "BC-16/5"]
        return {p["number"]: p for p in decision["paragraphs"]}

    public = paragraphs(Api())
    assert {number: p["answer"] for number, p in public.items()} == {"4": "planned", "5": "unanswered", "6": "unanswered"}
    assert public["4"]["activities"] == [world["senegal"].pk] and public["4"]["due_by"] == "2027-06-30"
    assert (public["4"]["verb"], public["4"]["addressee"], public["4"]["asks_action"]) == ("requests", "secretariat", True)
    # The activity in the draft programme answers the paragraph only for those who plan.
    assert public["6"]["activities"] == []
    planners = paragraphs(Api(personas.secretariat))
    assert planners["6"]["activities"] == [world["planned"].pk] and planners["6"]["answer"] == "planned"

    services.report_submit(actor=None, report=world["draft_report"])
    services.report_approve(actor=None, report=world["draft_report"])

    detail = Api().get(f"/decisions/{world['decision'].pk}").json()
    assert detail["meeting"] == {"convention": "basel", "number": 16, "starts_on": "2023-05-01", "ends_on": "2023-05-12", "place": "Geneva"}
    assert [p["answer"] for p in detail["paragraphs"]] == ["delivered", "unanswered", "unanswered"]
    assert Api().get("/decisions/987654").status_code == 404
