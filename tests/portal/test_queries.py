"""Query counts of list pages and API lists are pinned and do not grow with the rows shown."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tahub.accounts.roles import Role
from tests.personas import make_user

pytestmark = pytest.mark.django_db


def queries(client, url, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("url", "one", "fifty", "pinned"),
    [
        ("/parties/", {"q": "KEN"}, {"page": 1}, 4),
        ("/api/v1/countries", {"q": "KEN"}, {"page": 1}, 2),
        ("/centres/", {}, {}, 1),
        ("/api/v1/centres", {"status": "closed"}, {}, 2),
        ("/api/v1/themes", {"page_size": 1}, {"page_size": 50}, 2),
    ],
)
def test_public_lists_use_the_same_queries_for_1_and_50_rows(reference, client, url, one, fifty, pinned):
    assert queries(client, url, one) == queries(client, url, fifty) <= pinned


def test_party_page_queries_do_not_grow_with_its_centres(reference, client):
    assert queries(client, "/parties/FRA/", {}) == queries(client, "/parties/RWA/", {})


def test_party_page_queries_do_not_grow_with_the_offers_it_lists(personas, client):
    from tests.offers.factories import published_offer

    published_offer(title="The first offer")
    one = queries(client, "/parties/KEN/", {})
    for number in range(11):
        published_offer(title=f"Offer {number}")

    assert queries(client, "/parties/KEN/", {}) == one


def test_centre_page_queries_do_not_grow_with_countries_served(reference, client):
    assert queries(client, "/centres/southeast-asia/", {}) == queries(client, "/centres/south-africa/", {})


def test_people_page_uses_the_same_queries_for_1_and_50_people(personas, client_for):
    from tahub.reference.models import Country

    kenya = Country.objects.get(iso3="KEN")
    client = client_for(personas.focal_kenya)
    one = queries(client, "/account/people/", {"q": "Faith"})
    for number in range(50):
        make_user(f"extra{number}@example.org", f"Extra {number}", role=Role.CONTRIBUTOR, scope=kenya)

    fifty = queries(client, "/account/people/", {})

    assert one == fifty <= 10
