"""Digests of new matches, and the unsubscribe link that works without signing in."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tahub.matching.alerts import MIN_COUNT, alert_set, alerts_send
from tahub.matching.models import AlertSubscription
from tahub.matching.services import match_all
from tests.matching.factories import accepted, need, offer

pytestmark = pytest.mark.django_db


def subscribe(person, kind, frequency="daily"):
    subscription = alert_set(actor=person, kind=kind, active=True, frequency=frequency)
    AlertSubscription.objects.filter(pk=subscription.pk).update(created_at=timezone.now() - timedelta(days=8))
    return subscription


def test_a_focal_point_hears_of_new_offers_for_the_partys_needs(personas):
    subscription = subscribe(personas.focal_kenya, "party")
    need(personas.secretariat, "KEN")
    offer(personas.secretariat, title="E-waste training for Africa", eligible_developing=True)
    match_all(today=date(2026, 12, 1))

    assert alerts_send() == 1
    message = mail.outbox[0]
    assert message.to == [personas.focal_kenya.email]
    assert "E-waste training for Africa" in message.body
    assert f"/matches/alerts/unsubscribe/{subscription.token}/" in message.body
    assert subscription.token in message.extra_headers["List-Unsubscribe"]
    # Nothing new: nothing sent the next day.
    assert alerts_send(now=timezone.now() + timedelta(days=1)) == 0


def test_a_provider_hears_of_published_requests_and_only_counts_of_needs(personas):
    sec = personas.secretariat
    subscribe(personas.provider_unitar, "provider", "weekly")
    offer(sec, title="UNITAR e-waste course", eligible_developing=True)
    accepted(sec, "PER", is_public=True, title="Peru's public e-waste request")
    accepted(sec, "KEN", is_public=False, title="Kenya's private e-waste request")
    for iso3 in ("KEN", "SEN", "NGA")[:MIN_COUNT]:
        need(sec, iso3)
    need(sec, "PER")  # alone in its region: not counted
    match_all(today=date(2026, 12, 1))

    assert alerts_send() == 1
    body = mail.outbox[0].body
    assert "Peru's public e-waste request" in body
    assert "Kenya's private e-waste request" not in body
    assert "3 Parties in Africa" in body
    assert "Latin America" not in body and "Kenya" not in body


def test_the_unsubscribe_link_works_without_signing_in(personas, client):
    subscription = subscribe(personas.focal_kenya, "party")
    url = f"/matches/alerts/unsubscribe/{subscription.token}/"

    asked = client.get(url)
    subscription.refresh_from_db()
    assert asked.status_code == 200 and subscription.is_active  # a mail scanner's visit changes nothing
    done = client.post(url)
    subscription.refresh_from_db()
    assert done.status_code == 200 and not subscription.is_active
    assert client.get("/matches/alerts/unsubscribe/not-a-token/").status_code == 404


def test_people_choose_their_alerts_and_frequency(personas, client_for):
    client = client_for(personas.focal_kenya)

    page = client.get("/matches/alerts/").content.decode()
    assert "New offers matching my Party" in page and "New requests and needs matching" not in page
    client.post("/matches/alerts/", {"party_on": "on", "party_frequency": "daily"})

    subscription = AlertSubscription.objects.get(user=personas.focal_kenya)
    assert (subscription.kind, subscription.frequency, subscription.is_active) == ("party", "daily", True)
    with pytest.raises(PermissionError):
        alert_set(actor=personas.focal_kenya, kind="provider", active=True, frequency="daily")
