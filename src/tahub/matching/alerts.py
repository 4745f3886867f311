"""Digests of new matches for those who subscribed, daily or weekly.

A Party's focal point hears of new open offers (that they may read) matching their Party's open
needs and accepted requests. A provider hears of new requests their Parties chose to publish
that match its offers, and of needs only as counts per regional group, and only from
``MIN_COUNT`` Parties up, so that no single Party's needs-assessment answer is disclosed. Each
e-mail carries a link that unsubscribes without signing in.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tahub.accounts.roles import Role
from tahub.assistance.permissions import party_ids
from tahub.assistance.selectors import PUBLISHED_STATES
from tahub.matching.models import AlertSubscription, Match
from tahub.matching.permissions import provider_ids
from tahub.offers.permissions import offer_policy

MIN_COUNT = 3
PERIOD = {AlertSubscription.Frequency.DAILY: timedelta(days=1), AlertSubscription.Frequency.WEEKLY: timedelta(days=7)}
SLACK = timedelta(hours=2)  # a daily run a little earlier than yesterday's still sends


def _live():
    return Match.objects.exclude(status=Match.Status.DISMISSED)


def offers_for_party(user, since):
    """[(offer, [need or request, …])] new since ``since``, newest offers first."""
    parties = party_ids(user, Role.PARTY_FOCAL_POINT)
    readable = offer_policy.visible_to(user).open_now()
    matches = (
        _live().filter(country__in=parties, created_at__gt=since, offer__in=readable)
        .select_related("offer__provider", "need__theme", "request").order_by("-offer__published_at", "-score")
    )
    grouped = defaultdict(list)
    for match in matches[:200]:
        grouped[match.offer].append(match.subject)
    return list(grouped.items())[:30]


def demand_for_provider(user, since):
    """[(offer, [published request, …], [(regional group, Parties), …])] new since ``since``."""
    matches = (
        _live().filter(offer__provider__in=provider_ids(user), created_at__gt=since)
        .select_related("offer", "request__country", "need__country__regional_group")
    )
    requests, needs = defaultdict(list), defaultdict(lambda: defaultdict(set))
    for match in matches[:2000]:
        if match.request_id:
            if match.request.is_public and match.request.status in PUBLISHED_STATES:
                requests[match.offer].append(match.request)
        elif match.need.country.regional_group_id:
            needs[match.offer][match.need.country.regional_group].add(match.need.country_id)
    found = []
    for offer in sorted(set(requests) | set(needs), key=lambda o: o.pk):
        groups = [(group, len(parties)) for group, parties in needs[offer].items() if len(parties) >= MIN_COUNT]
        if requests[offer] or groups:
            found.append((offer, requests[offer], sorted(groups, key=lambda pair: -pair[1])))
    return found


def unsubscribe_link(subscription):
    return f"{settings.SITE_URL}{reverse('matching:alert_unsubscribe', args=[subscription.token])}"


def alert_send(subscription, *, now):
    """Send one subscriber's digest if there is anything new; returns whether one was sent."""
    person = subscription.user
    since = subscription.last_sent_at or subscription.created_at
    if subscription.kind == AlertSubscription.Kind.OFFERS_FOR_PARTY:
        context = {"offers": offers_for_party(person, since)}
        empty = not context["offers"]
    else:
        context = {"demand": demand_for_provider(person, since)}
        empty = not context["demand"]
    subscription.last_sent_at = now
    subscription.save(update_fields=["last_sent_at"])
    if empty:
        return False
    link = unsubscribe_link(subscription)
    with translation.override(person.preferred_language or "en"):
        body = render_to_string("matching/mail/alert.txt", {
            **context, "person": person, "subscription": subscription, "unsubscribe": link, "site": settings.SITE_URL,
        })
    subject, _blank, text = body.partition("\n\n")
    EmailMessage(
        subject.strip(), text.strip(), None, [person.email],
        headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    ).send()
    return True


def alerts_send(*, now=None):
    """Every subscription whose turn has come; returns the number of e-mails sent."""
    now = now or timezone.now()
    sent = 0
    for subscription in AlertSubscription.objects.filter(is_active=True, user__is_active=True).select_related("user"):
        last = subscription.last_sent_at or subscription.created_at
        if now - last < PERIOD[subscription.frequency] - SLACK:
            continue
        sent += alert_send(subscription, now=now)
    return sent


def alert_kinds_for(actor):
    """The alerts ``actor`` may subscribe to."""
    kinds = []
    if party_ids(actor, Role.PARTY_FOCAL_POINT):
        kinds.append(AlertSubscription.Kind.OFFERS_FOR_PARTY)
    if provider_ids(actor):
        kinds.append(AlertSubscription.Kind.DEMAND_FOR_OFFERS)
    return kinds


def alert_set(*, actor, kind, active, frequency):
    """Subscribe ``actor`` to an alert, change how often, or stop it."""
    if kind not in alert_kinds_for(actor):
        raise PermissionError(kind)
    subscription, _created = AlertSubscription.objects.get_or_create(
        user=actor, kind=kind, defaults={"frequency": frequency, "is_active": active}
    )
    subscription.frequency, subscription.is_active = frequency, active
    subscription.save(update_fields=["frequency", "is_active"])
    return subscription


def alert_unsubscribe(*, token):
    """Stop the alert this token belongs to (no sign-in needed); returns it, or None."""
    subscription = AlertSubscription.objects.filter(token=token).select_related("user").first()
    if subscription is not None and subscription.is_active:
        subscription.is_active = False
        subscription.save(update_fields=["is_active"])
    return subscription
