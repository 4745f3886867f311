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
