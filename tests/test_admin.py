"""The admin: staff only, and every registered model's list, search and add pages work."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

MODELS = [f"{model._meta.app_label}_{model._meta.model_name}" for model in admin.site._registry]


@pytest.mark.parametrize("model", MODELS)
def test_secretariat_opens_every_admin_list_with_search(model, personas, client_for):
    client = client_for(personas.secretariat)

    listing = client.get(reverse(f"admin:{model}_changelist"), {"q": "ken"})

    assert listing.status_code == 200


def test_non_staff_cannot_use_the_admin(personas, client_for):
    response = client_for(personas.focal_kenya).get(reverse("admin:reference_country_changelist"))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_admin_revoke_action_revokes_through_the_service(personas, client_for):
    from tahub.accounts.services import api_token_create

    token, _secret = api_token_create(actor=personas.focal_kenya, name="old script")

    client_for(personas.secretariat).post(
        reverse("admin:accounts_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]}
    )

    token.refresh_from_db()
    assert token.revoked_at is not None
