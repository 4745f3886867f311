"""The planning pages send the same number of queries for one activity as for many: the
programme list, the timeline, a centre's view, a region's overview, the decisions with what
answers their paragraphs, and the API lists."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tahub.accounts.models import Organisation
from tahub.planning import services
from tahub.planning.models import Activity, Partner
from tahub.reference.models import Country, RegionalCentre, RegionalGroup, Theme
from tests.planning.factories import planning_world

pytestmark = pytest.mark.django_db


def queries(client, url):
    client.get(url)  # the session and the reference rows a first request reads
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def add_activities(world, number):
    """``number`` more activities, each with what a list row shows: regions, Parties, a lead, a
    partner and a budget line; every other one led by the Senegal centre; each answering the
    decision's paragraph 4."""
    senegal = RegionalCentre.objects.get(slug="senegal")
    partner = Organisation.objects.create(name="A partner for the tests", acronym="PTT")
    countries = list(Country.objects.filter(regional_group__code="AFRICA").order_by("iso3")[:5])
    for index in range(number):
        centre_led = index % 2 == 0
        activity = services.activity_create(
            actor=None, programme=world["programme"], title=f"Activity {index}", description="More work.",
            type=Activity.Type.WEBINAR, level=Activity.Level.SUBREGIONAL,
            lead=Activity.Lead.CENTRE if centre_led else Activity.Lead.PARTNER,
            lead_centre=senegal if centre_led else None, lead_organisation=None if centre_led else partner,
            planned_start=date(2026, 1 + index % 12, 1), planned_end=date(2027, 1 + index % 12, 28),
            priority_area=world["area"], themes=[Theme.objects.get(code="monitoring")], countries=countries[: 1 + index % 5],
            regional_groups=[RegionalGroup.objects.get(code="AFRICA")], languages=["en"], paragraphs=[world["asked"]],
            budget=[{"source": "Voluntary contribution", "currency": "USD", "planned": 1000, "secured": 0, "spent": 0}],
        )
        services.partner_add(actor=None, activity=activity, organisation=partner, role=Partner.Role.FUNDING)


@pytest.mark.parametrize("reader", ["public", "secretariat", "centre_senegal", "rfp_africa"])
def test_planning_pages_use_the_same_queries_for_one_activity_and_twelve(personas, client_for, reader):
    world = planning_world()
    programme = world["programme"]
    client = client_for(getattr(personas, reader)) if reader != "public" else client_for(None)
    urls = [
        programme.get_absolute_url(),
        reverse("planning:timeline", args=[programme.pk]),
        f"/api/v1/activities?programme={programme.pk}",
        reverse("planning:decisions"),
        reverse("planning:decision_detail", args=[world["decision"].pk]),
        "/api/v1/decisions",
        f"/api/v1/decisions/{world['decision'].pk}",
    ]
    if reader != "public":  # every signed-in reader here may see the Senegal centre
        urls.append(f"{reverse('planning:centre', args=['senegal'])}?programme={programme.pk}")
    if reader in ("secretariat", "rfp_africa"):
        urls.append(f"{reverse('planning:region', args=['AFRICA'])}?programme={programme.pk}")
    one = {url: queries(client, url) for url in urls}
    add_activities(world, 12)

    assert {url: queries(client, url) for url in urls} == one
