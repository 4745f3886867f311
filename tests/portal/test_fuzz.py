"""Whatever people type into filters and page numbers, pages answer and never crash."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

anything = st.text(max_size=80)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=anything, group=anything, classification=anything, centre=anything, page=anything)
def test_party_directory_answers_any_filter_input(reference, client, q, group, classification, centre, page):
    response = client.get(
        "/parties/", {"q": q, "regional_group": group, "classification": classification, "centre": centre, "page": page}
    )

    assert response.status_code == 200


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=anything, ldc=anything, page=anything, page_size=anything)
def test_country_api_answers_any_query_with_data_or_a_422(reference, client, q, ldc, page, page_size):
    response = client.get("/api/v1/countries", {"q": q, "ldc": ldc, "page": page, "page_size": page_size})

    assert response.status_code in (200, 422)
    if response.status_code == 422:
        assert response.json()["error"]["code"] == "invalid_input"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(iso3=st.text(min_size=1, max_size=12))
def test_party_page_is_found_or_404(reference, client, iso3):
    assert client.get(f"/parties/{quote(iso3, safe='')}/").status_code in (200, 404)


@pytest.mark.parametrize("url", ["/parties/", "/api/v1/countries", "/account/people/"])
def test_a_nul_character_in_a_search_is_harmless(personas, client_for, url):
    response = client_for(personas.secretariat).get(url, {"q": "ke\x00n"})

    assert response.status_code in (200, 422)


@pytest.mark.parametrize("url", ["/parties/K%00N/", "/api/v1/countries/K%00N", "/api/v1/centres/sen%00gal"])
def test_a_nul_character_in_an_identifier_is_not_found(reference, client, url):
    assert client.get(url).status_code == 404
