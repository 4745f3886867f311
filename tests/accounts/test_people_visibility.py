"""Who sees whom on the people page: nobody sees people outside their own scope."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ALL = {
    "secretariat": "sec@example.org",
    "rfp_africa": "rfp.africa@example.org",
    "rfp_grulac": "rfp.grulac@example.org",
    "centre_senegal": "centre.sen@example.org",
    "focal_kenya": "fp.ken@example.org",
    "contributor_kenya": "co.ken@example.org",
    "focal_peru": "fp.per@example.org",
    "focal_senegal": "fp.sen@example.org",
    "provider_unitar": "prov.unitar@example.org",
    "no_role": "nobody@example.org",
}
SEES = {
    "secretariat": set(ALL),
    "focal_kenya": {"secretariat", "rfp_africa", "focal_kenya", "contributor_kenya"},
    "contributor_kenya": {"secretariat", "rfp_africa", "focal_kenya", "contributor_kenya"},
    "focal_peru": {"secretariat", "rfp_grulac", "focal_peru"},
    "focal_senegal": {"secretariat", "rfp_africa", "centre_senegal", "focal_senegal"},
    "centre_senegal": {"secretariat", "rfp_africa", "centre_senegal", "focal_senegal"},
    "rfp_africa": {"secretariat", "rfp_africa", "centre_senegal", "focal_kenya", "contributor_kenya", "focal_senegal"},
    "provider_unitar": {"secretariat", "provider_unitar"},
    "no_role": {"no_role"},
}


@pytest.mark.parametrize("persona", sorted(SEES))
def test_people_page_lists_exactly_the_people_in_scope(persona, personas, client_for):
    body = client_for(getattr(personas, persona)).get(reverse("accounts:people_list")).content.decode()

    shown = {name for name, email in ALL.items() if email in body}
    assert shown == SEES[persona]
