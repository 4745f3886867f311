from datetime import timedelta

import pytest
from django.utils import timezone
from openapi_spec_validator import validate

from tahub.accounts.models import ApiToken
from tahub.accounts.services import api_token_create

pytestmark = pytest.mark.django_db


def test_openapi_document_validates_as_openapi_3(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_docs_page_uses_only_assets_served_by_tahub(client):
    body = client.get("/api/v1/docs").content.decode()

    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn." not in body and "https://" not in body


def test_country_list_is_paginated_with_count_and_items(reference, client):
    first = client.get("/api/v1/countries", {"page": 1}).json()
    last = client.get("/api/v1/countries", {"page": 4}).json()

    assert first["count"] == 198
    assert len(first["items"]) == 50
    assert len(last["items"]) == 198 - 150
    assert {item["iso3"] for item in first["items"]}.isdisjoint({item["iso3"] for item in last["items"]})


def test_country_filters_combine(reference, client):
    body = client.get("/api/v1/countries", {"regional_group": "AFRICA", "ldc": "true", "landlocked": "true"}).json()

    assert body["count"] > 0
    for item in body["items"]:
        assert item["regional_group"] == "AFRICA" and item["ldc"] and item["landlocked"]


def test_country_search_finds_names_in_other_languages(reference, client):
    body = client.get("/api/v1/countries", {"q": "Кения"}).json()

    assert [item["iso3"] for item in body["items"]] == ["KEN"]


def test_country_detail_gives_six_names_and_centres(reference, client):
    body = client.get("/api/v1/countries/rwa", HTTP_ACCEPT_LANGUAGE="fr").json()

    assert body["name"] == body["names"]["fr"]
    assert {centre["slug"] for centre in body["centres"]} == {"senegal", "south-africa"}


def test_centre_detail_lists_countries_served(reference, client):
    body = client.get("/api/v1/centres/caribbean").json()

    assert body["coordinating_centre"] == "BCCC-SCRC Uruguay"
    assert "JAM" in body["countries_served"]
    assert body["countries_served_count"] == len(body["countries_served"])


def test_unknown_country_is_a_json_404(reference, client):
    response = client.get("/api/v1/countries/XYZ")

    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found.", "details": []}}


def test_invalid_filter_is_a_json_422_naming_the_field(reference, client):
    response = client.get("/api/v1/countries", {"classification": "rich"})

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert any("classification" in str(detail.get("loc")) for detail in error["details"])


def test_token_created_used_and_revoked(personas, client):
    created = client.post(
        "/api/v1/tokens",
        data={"name": "national report"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_token_create(actor=personas.focal_kenya, name='bootstrap')[1]}",
    )
    assert created.status_code == 201
    secret = created.json()["secret"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    me = client.get("/api/v1/me", **headers)
    assert me.status_code == 200
    assert me.json()["email"] == "fp.ken@example.org"
    assert me.json()["roles"] == [{"role": "party_focal_point", "scope": "KEN"}]
    assert client.get("/api/v1/me", HTTP_X_API_KEY=secret).status_code == 200

    revoked = client.delete(f"/api/v1/tokens/{created.json()['id']}", **headers)
    assert revoked.status_code == 204
    after = client.get("/api/v1/me", **headers)
    assert after.status_code == 401
    assert after.json()["error"]["code"] == "not_authenticated"


def test_only_a_digest_of_the_token_is_stored(personas):
    token, secret = api_token_create(actor=personas.focal_kenya, name="x")

    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in (stored.digest, stored.prefix, stored.name)
    assert secret.startswith(stored.prefix)


def test_expired_token_is_refused(personas, client):
    token, secret = api_token_create(
        actor=personas.focal_kenya, name="short", expires_at=timezone.now() + timedelta(minutes=1)
    )
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_token_list_shows_only_the_callers_tokens(personas, client_for):
    api_token_create(actor=personas.focal_kenya, name="kenya-script")
    api_token_create(actor=personas.focal_peru, name="peru-script")

    body = client_for(personas.focal_peru).get("/api/v1/tokens").json()

    assert [item["name"] for item in body["items"]] == ["peru-script"]


@pytest.mark.parametrize("extra", [{"user_id": 1}, {"revoked_at": None, "digest": "0" * 64}, {"prefix": "tahub_stolen"}])
def test_extra_fields_posted_to_token_create_are_ignored(personas, client_for, extra):
    response = client_for(personas.focal_peru).post(
        "/api/v1/tokens", data={"name": "mine", **extra}, content_type="application/json"
    )

    token = ApiToken.objects.get(pk=response.json()["id"])
    assert token.user == personas.focal_peru
    assert token.digest != "0" * 64 and token.prefix != "tahub_stolen"


def test_session_post_without_csrf_token_is_refused(personas):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(personas.focal_peru)

    response = strict.post("/api/v1/tokens", data={"name": "x"}, content_type="application/json")

    assert response.status_code == 403
    assert not ApiToken.objects.filter(user=personas.focal_peru).exists()


def test_unknown_api_path_and_wrong_method_answer_in_the_error_shape(client):
    unknown = client.get("/api/v1/no-such-thing")
    wrong_method = client.put("/api/v1/countries")

    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"
    assert wrong_method.status_code == 405 and wrong_method.json()["error"]["code"] == "method_not_allowed"
    assert wrong_method["Allow"] == "GET"


def test_each_enumeration_in_the_schema_has_one_meaning(client):
    """Two models' ``Status`` enums once shared a schema component, so one documented the other's values."""
    schema = client.get("/api/v1/openapi.json").json()
    centres = next(p for p in schema["paths"]["/api/v1/centres"]["get"]["parameters"] if p["name"] == "status")
    needs = next(p for p in schema["paths"]["/api/v1/needs"]["get"]["parameters"] if p["name"] == "status")

    assert "active" in str(centres["schema"]) and "partly_met" not in str(centres["schema"])
    assert "partly_met" in str(needs["schema"]) and "active" not in str(needs["schema"])
