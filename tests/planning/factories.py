"""A small planning world built through the services: a decision, a plan drafted from a needs
cycle, a programme and activities."""

from datetime import date

from tahub.assessments.models import Need
from tahub.planning import services
from tahub.planning.models import Activity, Paragraph
from tahub.reference.models import Convention, Country, RegionalCentre, RegionalGroup, Theme
from tests.reports.factories import two_cycles


def decision_with_paragraphs():
    basel = Convention.objects.get(code="basel")
    meeting = services.meeting_create(actor=None, convention=basel, number=14, starts_on=date(2019, 4, 29),
                                      ends_on=date(2019, 5, 10), place="Geneva")
    decision = services.decision_create(actor=None, meeting=meeting, symbol="BC-14/18", title="Technical assistance")
    asked = services.paragraph_save(actor=None, decision=decision, number="4", verb=Paragraph.Verb.REQUESTS,
                                    addressee=Paragraph.Addressee.SECRETARIAT, text="Requests the Secretariat to deliver training.",
                                    illustrative=True, asks_action=True, due_by=date(2027, 6, 30))
    other = services.paragraph_save(actor=None, decision=decision, number="5", verb=Paragraph.Verb.REQUESTS,
                                    addressee=Paragraph.Addressee.SECRETARIAT, text="Requests the Secretariat to report.",
                                    illustrative=True, asks_action=True)
    invites = services.paragraph_save(actor=None, decision=decision, number="6", verb=Paragraph.Verb.INVITES,
                                      addressee=Paragraph.Addressee.PARTIES, text="Invites Parties to share needs.",
                                      illustrative=True, asks_action=True)
    return decision, asked, other, invites


def planning_world():
    """Two cycles of needs, a decision, a draft plan with a priority area drawn from the later
    cycle, a published programme and an activity led by the Senegal centre for Kenya and Ghana."""
    earlier, later = two_cycles(publish_later=True)
    decision, asked, other, invites = decision_with_paragraphs()
    conventions = list(Convention.objects.all())
    plan = services.plan_create(actor=None, title="Technical assistance plan 2026–2029", start_year=2026, end_year=2029,
                                conventions=conventions, goal="Strengthen the capacities of Parties.",
                                objectives={conventions[0]: "Control transboundary movements."})
    area = services.priority_area_create(
        actor=None, plan=plan, title="Monitoring", themes=[Theme.objects.get(code="monitoring")], rationale="Reported often.",
        regional_groups=[RegionalGroup.objects.get(code="AFRICA")], cycle=later, levels=("high", "medium", "low"),
    )
    result = services.expected_result_add(actor=None, area=area, text="People trained", indicator="People trained",
                                          unit="people", baseline=0, target=100)
    programme = services.programme_create(actor=None, plan=plan, start_year=2026)
    services.programme_publish(actor=None, programme=programme)
    kenya, ghana = Country.objects.get(iso3="KEN"), Country.objects.get(iso3="GHA")
    activity = services.activity_create(
        actor=None, programme=programme, title="Regional workshop on monitoring", description="Two days.",
        type=Activity.Type.WORKSHOP, level=Activity.Level.REGIONAL, lead=Activity.Lead.CENTRE,
        lead_centre=RegionalCentre.objects.get(slug="senegal"), planned_start=date(2026, 3, 1), planned_end=date(2026, 3, 3),
        priority_area=area, themes=[Theme.objects.get(code="monitoring")], conventions=conventions[:1],
        countries=[kenya, ghana], regional_groups=[RegionalGroup.objects.get(code="AFRICA")], paragraphs=[asked],
        needs=list(Need.objects.filter(country__in=[kenya, ghana], theme__code="monitoring")), languages=["en", "fr"],
        budget=[{"source": "Voluntary contribution", "currency": "USD", "planned": 50000, "secured": 40000, "spent": 0},
                {"source": "Host", "currency": "EUR", "planned": 10000, "secured": 10000, "spent": 2000}],
    )
    return {"earlier": earlier, "later": later, "decision": decision, "asked": asked, "other": other, "invites": invites,
            "plan": plan, "area": area, "result": result, "programme": programme, "activity": activity,
            "kenya": kenya, "ghana": ghana}
