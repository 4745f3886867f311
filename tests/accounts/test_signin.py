from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db
SIGN_IN = "/account/sign-in/"


def sign_in(client, email, password, ip="10.0.0.1"):
    return client.post(SIGN_IN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_person_signs_in_with_email_and_password(personas):
    client = Client()

    response = sign_in(client, "FP.KEN@example.org", PASSWORD)

    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").context["user"] == personas.focal_kenya


def test_wrong_password_shows_the_form_again(personas):
    response = sign_in(Client(), "fp.ken@example.org", "not-the-password")

    assert response.status_code == 200
    assert response.context["form"].errors


def test_repeated_failures_lock_the_username_from_that_address(personas, settings):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "fp.ken@example.org", "wrong-password-guess")

    locked = sign_in(client, "fp.ken@example.org", PASSWORD)
    other_address = sign_in(Client(), "fp.ken@example.org", PASSWORD, ip="10.0.0.2")
    other_user = sign_in(Client(), "fp.per@example.org", PASSWORD)

    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    assert other_address.status_code == 302
    assert other_user.status_code == 302


def test_lock_lifts_after_the_cool_off(personas, settings):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "fp.ken@example.org", "wrong-password-guess")
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))

    assert sign_in(client, "fp.ken@example.org", PASSWORD).status_code == 302


@pytest.mark.parametrize("password", ["short-pw1", "password1234", "123456789012345"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("mangrove-estuary-cobalt-42")


def test_session_ends_after_inactivity(personas, settings):
    client = Client()
    sign_in(client, "fp.ken@example.org", PASSWORD)
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_COOKIE_AGE == 1800

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and SIGN_IN in response["Location"]


def test_each_request_pushes_the_inactivity_deadline_back(personas):
    client = Client()
    sign_in(client, "fp.ken@example.org", PASSWORD)
    Session.objects.update(expire_date=timezone.now() + timedelta(seconds=30))

    client.get("/")

    assert Session.objects.get().expire_date > timezone.now() + timedelta(minutes=29)


def test_password_reset_by_email_sets_a_new_password(personas):
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": "fp.ken@example.org"})

    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.context["validlink"]

    too_short = client.post(form_page.redirect_chain[-1][0], {"new_password1": "short", "new_password2": "short"})
    assert too_short.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "mangrove-estuary-cobalt-42", "new_password2": "mangrove-estuary-cobalt-42"},
    )
    assert done.status_code == 302
    assert sign_in(Client(), "fp.ken@example.org", "mangrove-estuary-cobalt-42").status_code == 302


def test_password_reset_does_not_reveal_unknown_addresses(reference):
    response = Client().post(reverse("accounts:password_reset"), {"email": "stranger@example.org"})

    assert response.status_code == 302
    assert mail.outbox == []


def test_changing_the_case_of_the_address_does_not_dodge_the_lock(personas, settings):
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        email = "fp.ken@example.org" if attempt % 2 else "FP.Ken@Example.org"
        sign_in(client, email, "wrong-password-guess")

    assert sign_in(client, "Fp.Ken@example.org", PASSWORD).status_code == 429
