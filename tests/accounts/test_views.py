import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "extra",
    [{"user": "1"}, {"revoked_at": "2020-01-01"}, {"digest": "0" * 64}, {"prefix": "tahub_stolen"}, {"is_staff": "on"}],
)
def test_extra_fields_posted_to_the_token_form_change_nothing_else(personas, client_for, extra):
    client_for(personas.focal_peru).post(reverse("accounts:token_list"), {"name": "mine", "expires_in": "", **extra})

    token = personas.focal_peru.api_tokens.get()
    assert token.user == personas.focal_peru and token.revoked_at is None
    assert token.digest != "0" * 64 and token.prefix != "tahub_stolen"
    personas.focal_peru.refresh_from_db()
    assert not personas.focal_peru.is_staff


def test_people_filter_by_role(personas, client_for):
    page = client_for(personas.secretariat).get(reverse("accounts:people_list"), {"role": "provider"}).context["page"]

    assert [person.email for person in page] == ["prov.unitar@example.org"]


def test_a_person_chooses_the_language_of_their_emails_and_a_daily_digest(personas, client_for):
    client = client_for(personas.focal_kenya)

    response = client.post("/account/", {"preferred_language": "fr", "notify_daily": "daily", "is_staff": "on"})

    assert response.status_code == 302
    personas.focal_kenya.refresh_from_db()
    assert personas.focal_kenya.preferred_language == "fr" and personas.focal_kenya.notify_daily
    assert not personas.focal_kenya.is_staff
    refused = client.post("/account/", {"preferred_language": "xx", "notify_daily": "daily"})
    assert refused.status_code == 200 and "preferred_language" in refused.context["form"].errors
