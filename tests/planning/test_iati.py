"""The IATI 2.03 export: schema-valid, one currency per amount, percentages summing to 100."""

from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from tahub.accounts.models import Organisation
from tahub.planning import services
from tahub.planning.iati import iati_activities, split_evenly
from tahub.planning.models import Activity
from tahub.reference.models import Convention, Country, RegionalCentre, Theme

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "iati-2.03" / "iati-activities-schema.xsd"
GENERATED = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def schema():
    # The schema imports xml.xsd from the same folder (a relative schemaLocation), so it resolves
    # from disk; no_network makes sure nothing is ever fetched.
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(SCHEMA), parser))


def parsed(xml):
    return etree.fromstring(xml, etree.XMLParser(no_network=True, resolve_entities=False))


@pytest.fixture
def programme_of_work(reference):
    """A programme with a national, a regional, a two-currency, a completed and a cancelled
    activity, built through the planning services."""
    basel = Convention.objects.get(code="basel")
    waste, legal = Theme.objects.get(code="waste_management"), Theme.objects.get(code="legal")
    kenya, ghana, peru = (Country.objects.get(iso3=code) for code in ("KEN", "GHA", "PER"))
    plan = services.plan_create(actor=None, title="Plan 2026–2029", start_year=2026, end_year=2029,
                                conventions=[basel], goal="Environmentally sound management.")
    area = services.priority_area_create(actor=None, plan=plan, title="E-waste", themes=[waste],
                                         rationale="Needs found in 2026.")
    trained = services.expected_result_add(actor=None, area=area, text="Officers trained in e-waste inventories",
                                           indicator="Officers trained", unit="people trained", target=60, baseline=5)
    guidance = services.expected_result_add(actor=None, area=area, text="National guidance adopted",
                                            indicator="Parties with guidance", unit="Parties", target=4)
    unreported = services.expected_result_add(actor=None, area=area, text="Inventories published",
                                              indicator="Inventories", unit="inventories", target=3)
    programme = services.programme_create(actor=None, plan=plan, start_year=2026)
    common = {"actor": None, "programme": programme, "conventions": [basel], "type": Activity.Type.WORKSHOP}

    national = services.activity_create(
        **common, title="Legal review in Kenya and Ghana", description="A review of national legislation.",
        level=Activity.Level.NATIONAL, lead=Activity.Lead.SECRETARIAT, themes=[legal, waste], countries=[kenya, ghana],
        planned_start=date(2026, 4, 1), planned_end=date(2026, 6, 30),
        budget=[{"source": "Technical Cooperation Trust Fund", "currency": "USD", "planned": "20000", "secured": "20000"}],
    )
    senegal = RegionalCentre.objects.get(slug="senegal")
    regional = services.activity_create(
        **common, title="Regional e-waste workshop", description="A workshop for French-speaking Africa.",
        level=Activity.Level.REGIONAL, lead=Activity.Lead.CENTRE, lead_centre=senegal, themes=[waste],
        planned_start=date(2026, 5, 1), planned_end=date(2026, 5, 3),
    )
    norway = Organisation.objects.create(name="Government of Norway", type=Organisation.Type.PARTY_GOVERNMENT)
    unitar = Organisation.objects.create(name="UNITAR", acronym="UNITAR", type=Organisation.Type.IGO)
    ngo = Organisation.objects.create(name="Waste Watch", type=Organisation.Type.NGO)
    two_currencies = services.activity_create(
        **common, title="Online course on inventories", description="A course in two rounds.",
        level=Activity.Level.GLOBAL, lead=Activity.Lead.PARTNER, lead_organisation=unitar, themes=[waste],
        planned_start=date(2026, 2, 1), planned_end=date(2026, 11, 30),
        partners=[(norway, "funding"), (ngo, "expertise"), (unitar, "co_organising")],
        budget=[
            {"source": "Norway", "currency": "EUR", "planned": "30000", "secured": "25000", "spent": "12000.50", "funder": norway},
            {"source": "European Union", "currency": "EUR", "planned": "10000", "secured": "0", "spent": "0"},
            {"source": "Technical Cooperation Trust Fund", "currency": "USD", "planned": "15000", "secured": "15000", "spent": "9000"},
            {"source": "Special Programme", "currency": "USD", "planned": "5000.25", "secured": "5000.25", "spent": "1000"},
        ],
    )
    south_africa = RegionalCentre.objects.get(slug="south-africa")
    centre_org = Organisation.objects.create(name="Africa Institute", type=Organisation.Type.REGIONAL_CENTRE, centre=south_africa)
    completed = services.activity_create(
        **common, title="E-waste inventory training", description="Training of customs and environment officers.",
        level=Activity.Level.SUBREGIONAL, lead=Activity.Lead.CENTRE, lead_centre=south_africa, themes=[waste],
        priority_area=area, countries=[kenya, ghana, peru], planned_start=date(2026, 3, 1), planned_end=date(2026, 3, 5),
        budget=[{"source": "Technical Cooperation Trust Fund", "currency": "USD", "planned": "40000", "secured": "40000", "spent": "38500"}],
    )
    services.activity_set_status(actor=None, activity=completed, status="ongoing", on=date(2026, 3, 2))
    interim = services.report_create(actor=None, activity=completed, summary="First week.", final=False,
                                     participations=[(kenya, 3, 4, 0)], indicator_values=[(trained, "7", "")])
    services.report_approve(actor=None, report=services.report_submit(actor=None, report=interim))
    final = services.report_create(
        actor=None, activity=completed, summary="Training delivered.",
        participations=[(kenya, 5, 6, 1), (ghana, 4, 4, 0), (peru, 2, 3, 0)],
        indicator_values=[(trained, "25", "Three Parties"), (guidance, "2", "")],
    )
    services.report_approve(actor=None, report=services.report_submit(actor=None, report=final))
    services.report_create(actor=None, activity=completed, summary="Not yet reviewed.", final=False,
                           indicator_values=[(trained, "100", "draft"), (unreported, "3", "draft")])
    cancelled = services.activity_create(
        **common, title="Study visit", description="Cancelled for lack of funds.",
        level=Activity.Level.NATIONAL, lead=Activity.Lead.SECRETARIAT, themes=[waste], countries=[peru],
        planned_start=date(2026, 9, 1), planned_end=date(2026, 9, 4),
    )
    services.activity_set_status(actor=None, activity=cancelled, status="cancelled", reason="No funds.")
    return {
        "programme": programme, "national": national, "regional": regional, "two_currencies": two_currencies,
        "completed": completed, "cancelled": cancelled, "results": (trained, guidance, unreported),
        "centre_org": centre_org,
    }


def export(programme):
    return iati_activities(Activity.objects.filter(programme=programme), generated_at=GENERATED)


def activities_by_code(root):
    prefix = "XM-DAC-41116-"
    return {node.findtext("iati-identifier").removeprefix(prefix): node for node in root.findall("iati-activity")}


def amounts(node, path):
    """(currency, amount) of each value under ``path``, the activity's default currency filled in."""
    default = node.get("default-currency")
    found = []
    for value in node.findall(path):
        found.append((value.get("currency") or default, Decimal(value.text)))
    return found


@pytest.mark.django_db
def test_the_export_is_valid_iati_2_03(programme_of_work, schema):
    root = parsed(export(programme_of_work["programme"]))
    valid = schema.validate(root.getroottree())
    assert valid, "\n".join(str(error) for error in schema.error_log)
    assert root.get("version") == "2.03"
    assert root.get("generated-datetime") == "2026-03-01T09:30:00+00:00"
    assert len(root.findall("iati-activity")) == 5


@pytest.mark.django_db
def test_identifiers_are_unique_and_prefixed_with_the_reporting_organisation(programme_of_work, settings):
    root = parsed(export(programme_of_work["programme"]))
    identifiers = [node.findtext("iati-identifier") for node in root.findall("iati-activity")]
    assert len(set(identifiers)) == len(identifiers) == 5
    codes = set(Activity.objects.values_list("code", flat=True))
    assert {identifier.removeprefix("XM-DAC-41116-") for identifier in identifiers} == codes
    for node in root.findall("iati-activity"):
        assert node.find("reporting-org").get("ref") == "XM-DAC-41116"
        assert node.find("reporting-org").get("type") == "40"
        assert node.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"

    settings.TAHUB_IATI_REPORTING_ORG = "XM-DAC-99999"
    root = parsed(export(programme_of_work["programme"]))
    assert all(node.findtext("iati-identifier").startswith("XM-DAC-99999-") for node in root.findall("iati-activity"))


@pytest.mark.django_db
def test_budgets_and_transactions_keep_each_currency_apart(programme_of_work):
    activity = programme_of_work["two_currencies"]
    node = activities_by_code(parsed(export(programme_of_work["programme"])))[activity.code]
    assert node.get("default-currency") is None  # two currencies: each value names its own
    assert all(value.get("currency") for value in node.iter("value"))

    budgets = amounts(node, "budget/value")
    assert sorted(budgets) == [("EUR", Decimal("40000.00")), ("USD", Decimal("20000.25"))]
    statuses = {value.get("currency"): budget.get("status") for budget in node.findall("budget") for value in budget.findall("value")}
    assert statuses == {"EUR": "1", "USD": "2"}  # EUR not fully secured: indicative; USD secured: committed
    for budget in node.findall("budget"):
        assert budget.find("period-start").get("iso-date") == "2026-02-01"
        assert budget.find("period-end").get("iso-date") == "2026-11-30"
        assert budget.find("value").get("value-date") == "2026-02-01"

    by_type = defaultdict(list)
    for transaction in node.findall("transaction"):
        by_type[transaction.find("transaction-type").get("code")].append(transaction)
    lines = list(activity.budget_lines.all())
    for code, field in (("11", "secured"), ("4", "spent")):
        written = [(t.find("value").get("currency"), Decimal(t.find("value").text)) for t in by_type[code]]
        expected = [(line.currency, getattr(line, field)) for line in lines if getattr(line, field) > 0]
        assert sorted(written) == sorted(expected)  # one transaction per line, in the line's currency
        for currency in ("EUR", "USD"):
            assert sum(a for c, a in written if c == currency) == sum(getattr(line, field) for line in lines if line.currency == currency)
    assert sorted(t.findtext("provider-org/narrative") for t in by_type["11"]) == ["Norway", "Special Programme", "Technical Cooperation Trust Fund"]


@pytest.mark.django_db
def test_every_budget_total_is_the_sum_of_its_currency_lines(programme_of_work):
    activities = {a.code: a for a in Activity.objects.filter(programme=programme_of_work["programme"])}
    for code, node in activities_by_code(parsed(export(programme_of_work["programme"]))).items():
        totals = defaultdict(Decimal)
        for line in activities[code].budget_lines.all():
            totals[line.currency] += line.planned
        assert dict(amounts(node, "budget/value")) == {c: t for c, t in totals.items() if t > 0}
        assert len(node.findall("budget")) == len({c for c, t in totals.items() if t > 0})
        for currency, _amount in amounts(node, ".//value"):
            assert currency in totals


@pytest.mark.django_db
def test_sector_and_aid_type(programme_of_work):
    nodes = activities_by_code(parsed(export(programme_of_work["programme"])))
    for node in nodes.values():
        sectors = {s.get("code"): Decimal(s.get("percentage")) for s in node.findall("sector")}
        assert "14050" in sectors
        assert all(s.get("vocabulary") == "1" for s in node.findall("sector"))
        assert sum(sectors.values()) == 100
        aid = node.find("default-aid-type")
        assert (aid.get("code"), aid.get("vocabulary")) == ("D02", "1")
        assert node.find("default-flow-type").get("code") == "10"
    national = nodes[programme_of_work["national"].code]
    assert {s.get("code") for s in national.findall("sector")} == {"14050", "41010"}  # also about legislation
    assert {s.get("code") for s in nodes[programme_of_work["regional"].code].findall("sector")} == {"14050"}


@pytest.mark.django_db
def test_recipient_percentages_sum_to_100(programme_of_work):
    nodes = activities_by_code(parsed(export(programme_of_work["programme"])))
    for node in nodes.values():
        recipients = node.findall("recipient-country") + node.findall("recipient-region")
        assert recipients
        assert sum(Decimal(r.get("percentage")) for r in recipients) == 100
    national = nodes[programme_of_work["national"].code]
    assert sorted(c.get("code") for c in national.findall("recipient-country")) == ["GH", "KE"]
    assert not national.findall("recipient-region")
    completed = nodes[programme_of_work["completed"].code]
    assert [c.get("percentage") for c in completed.findall("recipient-country")] == ["33.33", "33.33", "33.34"]
    regional = nodes[programme_of_work["regional"].code]
    assert not regional.findall("recipient-country")
    region = regional.find("recipient-region")
    assert (region.get("code"), region.get("vocabulary"), region.get("percentage")) == ("998", "1", "100.00")


def test_even_split_always_sums_to_100():
    for count in range(1, 40):
        shares = split_evenly(count)
        assert len(shares) == count and sum(shares) == 100
        assert all(share.as_tuple().exponent == -2 for share in shares)


@pytest.mark.django_db
def test_status_dates_and_organisations(programme_of_work):
    nodes = activities_by_code(parsed(export(programme_of_work["programme"])))
    status = {code: node.find("activity-status").get("code") for code, node in nodes.items()}
    assert status[programme_of_work["national"].code] == "1"
    assert status[programme_of_work["completed"].code] == "4"  # approved final report: closed
    assert status[programme_of_work["cancelled"].code] == "5"

    completed = nodes[programme_of_work["completed"].code]
    dates = {d.get("type"): d.get("iso-date") for d in completed.findall("activity-date")}
    assert dates == {"1": "2026-03-01", "2": "2026-03-02", "3": "2026-03-05", "4": "2026-03-05"}
    assert {d.get("type") for d in nodes[programme_of_work["national"].code].findall("activity-date")} == {"1", "3"}

    def orgs(node):
        return [(o.get("role"), o.findtext("narrative"), o.get("ref")) for o in node.findall("participating-org")]

    secretariat = ("2", "Secretariat of the Basel, Rotterdam and Stockholm conventions", "XM-DAC-41116")
    assert orgs(completed) == [secretariat, ("4", "Africa Institute", None)]  # the centre's organisation
    regional = nodes[programme_of_work["regional"].code]
    assert orgs(regional)[1] == ("4", RegionalCentre.objects.get(slug="senegal").name, None)  # no organisation
    assert orgs(nodes[programme_of_work["two_currencies"].code]) == [
        ("1", "Government of Norway", None), secretariat, ("4", "UNITAR", None), ("4", "Waste Watch", None),
    ]


@pytest.mark.django_db
def test_completed_without_an_approved_final_report_is_in_finalisation(programme_of_work):
    activity = programme_of_work["national"]
    services.activity_set_status(actor=None, activity=activity, status="ongoing", on=date(2026, 4, 1))
    services.activity_set_status(actor=None, activity=activity, status="completed", on=date(2026, 6, 30))
    postponed = programme_of_work["regional"]
    services.activity_set_status(actor=None, activity=postponed, status="postponed", reason="Elections.")
    nodes = activities_by_code(parsed(export(programme_of_work["programme"])))
    assert nodes[activity.code].find("activity-status").get("code") == "3"
    assert nodes[postponed.code].find("activity-status").get("code") == "6"


@pytest.mark.django_db
def test_results_count_approved_reports_only(programme_of_work):
    nodes = activities_by_code(parsed(export(programme_of_work["programme"])))
    completed = nodes[programme_of_work["completed"].code]
    results = {r.findtext("title/narrative"): r for r in completed.findall("result")}
    assert set(results) == {"Officers trained in e-waste inventories", "National guidance adopted"}  # not the draft's
    trained = results["Officers trained in e-waste inventories"]
    assert trained.get("type") == "1"
    indicator = trained.find("indicator")
    assert indicator.get("measure") == "1"
    assert indicator.findtext("title/narrative") == "Officers trained"
    assert (indicator.find("baseline").get("year"), indicator.find("baseline").get("value")) == ("2026", "5.00")
    period = indicator.find("period")
    assert period.find("period-start").get("iso-date") == "2026-03-02"
    assert period.find("period-end").get("iso-date") == "2026-03-05"
    assert period.find("target").get("value") == "60.00"
    assert period.find("actual").get("value") == "32.00"  # 7 + 25 from the approved reports, not the draft's 100
    for code in ("national", "regional", "two_currencies", "cancelled"):
        assert not nodes[programme_of_work[code].code].findall("result")


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_activities(programme_of_work):
    programme = programme_of_work["programme"]
    with CaptureQueriesContext(connection) as five:
        iati_activities(Activity.objects.filter(programme=programme))
    model = programme_of_work["two_currencies"]
    for number in range(3):
        services.activity_create(
            actor=None, programme=programme, title=f"Another course {number}", description="Again.",
            type=model.type, level=model.level, lead=model.lead, lead_organisation=model.lead_organisation,
            themes=list(model.themes.all()), conventions=list(model.conventions.all()),
            countries=[Country.objects.get(iso3="SEN")], planned_start=model.planned_start, planned_end=model.planned_end,
            partners=[(partner.organisation, partner.role) for partner in model.partners.all()],
            budget=[{"source": "Norway", "currency": "CHF", "planned": "100", "spent": "10"}],
        )
    with CaptureQueriesContext(connection) as eight:
        root = parsed(iati_activities(Activity.objects.filter(programme=programme)))
    assert len(root.findall("iati-activity")) == 8
    assert len(eight) == len(five)
