"""From mandate to delivered activity in a real browser.

The Secretariat drafts a plan from a cycle's needs (the priority area keeps its evidence), records
its adoption by a decision, creates the biennium's programme and an activity answering a decision
paragraph and a Party's need; the centre's staff report the activity's outputs; the Secretariat
approves the report; the need becomes partly met and the paragraph delivered. axe-core checks
each page.
"""

from playwright.sync_api import expect

from tahub.assessments.models import Need
from tahub.planning.models import Activity, ActivityReport, Plan
from tahub.reference.models import Country, RegionalCentre, RegionalGroup, Theme
from tests.browser.helpers import browsing_page, check_axe, expect_message, main, submit
from tests.planning.factories import decision_with_paragraphs
from tests.reports.factories import two_cycles


def test_from_a_plan_to_a_delivered_activity(new_context, personas):
    reports = []
    _earlier, later = two_cycles(publish_later=True)
    decision, asked, _other, _invites = decision_with_paragraphs()
    kenya = Country.objects.get(iso3="KEN")
    need = Need.objects.get(country=kenya, theme__code="monitoring")

    # The Secretariat drafts the plan
    staff = browsing_page(new_context, personas.secretariat)
    staff.goto("/planning/plans/new/")
    check_axe(staff, "New plan", reports)
    form = main(staff).locator("form")
    form.locator("#id_title").fill("Technical assistance plan 2026–2029")
    form.locator("#id_start_year").fill("2026")
    form.locator("#id_end_year").fill("2029")
    for checkbox in form.locator('input[name="conventions"]').all():
        checkbox.check()
    form.locator("#id_goal").fill("Strengthen the capacities of Parties.")
    submit(staff, form.locator('button[type="submit"]'))
    expect_message(staff, "success")
    plan = Plan.objects.get()

    # and adds a priority area drawn from the cycle's needs
    staff.goto(f"/planning/plans/{plan.pk}/areas/new/")
    form = main(staff).locator("form")
    form.locator("#id_title").fill("Monitoring in Africa")
    form.locator("#id_themes").select_option(str(Theme.objects.get(code="monitoring").pk))
    form.locator(f'input[name="regional_groups"][value="{RegionalGroup.objects.get(code="AFRICA").pk}"]').check()
    form.locator("#id_rationale").fill("The need most reported in the region.")
    form.locator("#id_cycle").select_option(str(later.pk))
    form.locator('input[name="levels"][value="low"]').check()
    form.locator("#id_paragraphs").select_option(str(asked.pk))
    check_axe(staff, "New priority area", reports)
    submit(staff, form.locator('button[type="submit"]'))
    area = plan.priority_areas.get()
    assert area.evidence["needs"] == 3 and area.evidence_taken_on is not None
    expect(main(staff).locator("#area-1")).to_contain_text("3 needs of 3 Parties")
    check_axe(staff, "Plan with its priority area", reports)

    # records its adoption by the decision
    adopt = main(staff).locator('form[action$="/adopt/"]')
    adopt.locator("#id_decision").select_option(str(decision.pk))
    submit(staff, adopt.locator('button[type="submit"]'))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ADOPTED and plan.adopted_by == decision

    # creates the biennium and an activity led by the Senegal centre
    staff.goto("/planning/programmes/new/")
    form = main(staff).locator("form")
    form.locator("#id_plan").select_option(str(plan.pk))
    form.locator("#id_start_year").fill("2026")
    submit(staff, form.locator('button[type="submit"]'))
    programme = plan.programmes.get()
    submit(staff, main(staff).get_by_role("link", name="Add an activity"))
    form = main(staff).locator("form")
    form.locator("#id_title").fill("Regional workshop on monitoring")
    form.locator("#id_description").fill("Two days in Dakar.")
    form.locator("#id_type").select_option("workshop")
    form.locator("#id_level").select_option("regional")
    form.locator("#id_priority_area").select_option(str(area.pk))
    form.locator("#id_themes").select_option(str(Theme.objects.get(code="monitoring").pk))
    form.locator('input[name="conventions"]').first.check()
    form.locator("#id_countries").select_option(str(kenya.pk))
    form.locator("#id_lead").select_option("centre")
    form.locator("#id_lead_centre").select_option(str(RegionalCentre.objects.get(slug="senegal").pk))
    form.locator("#id_planned_start").fill("2026-03-01")
    form.locator("#id_planned_end").fill("2026-03-03")
    form.locator("#id_paragraphs").select_option(str(asked.pk))
    form.locator("#id_needs").select_option(str(need.pk))
    check_axe(staff, "New activity", reports)
    submit(staff, form.locator('button[type="submit"]'))
    activity = Activity.objects.get()
    assert list(activity.needs.all()) == [need]
    staff.goto(f"/planning/programmes/{programme.pk}/timeline/")
    expect(main(staff).locator(".gantt-bar.gs-3")).to_have_count(1)
    check_axe(staff, "Timeline", reports)
    staff.goto(f"/planning/decisions/{decision.pk}/")
    expect(main(staff).locator("#paragraph-4 .badge")).to_have_text("Planned")
    expect(main(staff).locator("#paragraph-5 .badge")).to_have_text("Unanswered")
    check_axe(staff, "Decision", reports)

    # The centre's staff report the outputs
    centre = browsing_page(new_context, personas.centre_senegal)
    centre.goto(f"/planning/activities/{activity.pk}/")
    check_axe(centre, "Activity (centre)", reports)
    submit(centre, main(centre).get_by_role("link", name="Report outputs"))
    form = main(centre).locator("form")
    form.locator("#id_summary").fill("Thirty officers trained in monitoring.")
    form.locator("#id_people-0-women").fill("14")
    form.locator("#id_people-0-men").fill("16")
    form.locator("#id_materials-0-title").fill("Workshop report")
    check_axe(centre, "Report form", reports)
    submit(centre, form.locator('button[name="submit"]'))
    expect_message(centre, "success")
    report = ActivityReport.objects.get()
    assert report.status == ActivityReport.Status.SUBMITTED and report.participations.get().total == 30

    # The Secretariat approves the report
    staff.goto("/planning/")
    submit(staff, main(staff).locator(".notice a"))
    check_axe(staff, "Report to review", reports)
    submit(staff, main(staff).get_by_role("button", name="Approve the report"))
    expect_message(staff, "success")
    need.refresh_from_db()
    assert need.status == Need.Status.PARTLY_MET
    staff.goto(f"/planning/decisions/{decision.pk}/")
    expect(main(staff).locator("#paragraph-4 .badge")).to_have_text("Delivered")
    staff.goto(f"/planning/programmes/{programme.pk}/report/")
    expect(main(staff).locator("#table-by_type")).to_contain_text("30")
    check_axe(staff, "Implementation report", reports)
    staff.goto("/planning/centres/senegal/")
    check_axe(staff, "Centre", reports)
    assert not reports, "\n\n".join(reports)
    assert not staff.errors and not centre.errors
