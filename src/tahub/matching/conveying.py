"""Conveying a confirmed match to both sides, and the answers that come back.

The Party's focal points receive the offer (what it is, how to apply, whom to contact); the
provider's people receive the need or request, limited to what the Party agreed to share: for a
request, what it filed (no names or contact details); for a need, its theme, level and kinds of
help, never the answers of its questionnaire. Each e-mail is worded in its recipient's language
and kept (``ConveyedMessage``); conveying moves an accepted request to "help identified".
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tahub.accounts.roles import Role
from tahub.accounts.selectors import people_holding
from tahub.assistance.models import Request
from tahub.assistance.permissions import request_policy
from tahub.assistance.services import party_focal_points, request_move
from tahub.core.audit import audited
from tahub.matching.models import ConveyedMessage, Match
from tahub.matching.services import _decide
from tahub.offers.services import strip_html


def party_recipients(match):
    """The focal points of the Party (and, for a request, of its co-requesters)."""
    if match.request_id:
        people = party_focal_points(match.request)
    else:
        people = people_holding(Role.PARTY_FOCAL_POINT, country=match.country_id)
    return list(people.order_by("pk"))


def provider_recipients(match):
    return list(people_holding(Role.PROVIDER, organisation=match.offer.provider_id).order_by("pk"))


def shared_with_provider(match):
    """What the provider learns of the need or request (see the module's docstring)."""
    if match.request_id:
        request = match.request
        return {
            "kind": "request", "reference": request.reference, "party": request.country, "title": request.title,
            "description": request.description, "themes": list(request.themes.all()), "kinds": list(request.kinds.all()),
            "languages": request.language_labels, "modality": request.get_modality_display(),
            "desired_start": request.desired_start, "duration_months": request.duration_months,
            "expected_outputs": request.expected_outputs, "emergency": request.is_emergency,
        }
    need = match.need
    latest = need.observations.order_by("-observed_on", "-pk").first()
    return {
        "kind": "need", "party": need.country, "themes": [need.theme],
        "level": latest.get_level_display() if latest else "", "kinds": list(latest.kinds.all()) if latest else [],
    }


def _mail(template, person_language, context):
    with translation.override(person_language or "en"):
        body = render_to_string(template, context)
    subject, _blank, text = body.partition("\n\n")
    return subject.strip(), text.strip()


def match_convey(*, actor, match):
    """Tell both sides, record what was sent, and move an accepted request on."""
    with transaction.atomic():
        match = _decide(actor, match, "convey")
        party, providers = party_recipients(match), provider_recipients(match)
        if not party:
            raise ValidationError(_("%(party)s has no active focal point to convey this to.") % {"party": match.country.name})
        link = f"{settings.SITE_URL}{match.get_absolute_url()}"
        context = {"match": match, "offer": match.offer, "shared": shared_with_provider(match), "link": link}
        now = timezone.now()
        messages = []
        for side, people in ((ConveyedMessage.Side.PARTY, party), (ConveyedMessage.Side.PROVIDER, providers)):
            for person in people:
                subject, body = _mail(f"matching/mail/conveyed_{side}.txt", person.preferred_language, {**context, "person": person})
                messages.append(ConveyedMessage(
                    match=match, side=side, recipient=person, email=person.email, language=person.preferred_language or "en",
                    subject=subject, body=body, sent_by=actor, sent_at=now,
                ))
        if not providers and match.offer.contact_email:
            subject, body = _mail("matching/mail/conveyed_provider.txt", "en", {**context, "person": None})
            messages.append(ConveyedMessage(
                match=match, side=ConveyedMessage.Side.PROVIDER, email=match.offer.contact_email, language="en",
                subject=subject, body=body, sent_by=actor, sent_at=now,
            ))
        ConveyedMessage.objects.bulk_create(messages)
        match.status, match.conveyed_by, match.conveyed_at = Match.Status.CONVEYED, actor, now
        audited(match, actor).save()
        if match.request_id and match.request.status == Request.Status.ACCEPTED:
            may_move = Request.Status.HELP_IDENTIFIED in request_policy.allowed_moves(actor, match.request)
            request_move(
                actor=actor if may_move else None, request=match.request, to=Request.Status.HELP_IDENTIFIED,
                comment=_("Offer conveyed: %(offer)s") % {"offer": match.offer.title},
            )
        transaction.on_commit(lambda: [send_mail(m.subject, m.body, None, [m.email]) for m in messages])
    return match


def _answer(actor, match, action, answer, reason, choices, needs_reason):
    reason = strip_html(reason or "").strip()
    if answer not in choices:
        raise ValidationError({"answer": _("Choose one of the answers offered.")})
    if answer == needs_reason and not reason:
        raise ValidationError({"reason": _("Say why, so that the Secretariat can look further.")})
    match = _decide(actor, match, action)
    return match, reason


def match_answer_provider(*, actor, match, answer, reason=""):
    """The provider says whether it is interested or not able to help (and why)."""
    with transaction.atomic():
        match, reason = _answer(
            actor, match, "answer_provider", answer, reason, Match.ProviderAnswer.values, Match.ProviderAnswer.UNABLE
        )
        match.provider_answer, match.provider_reason = answer, reason
        match.provider_answered_by, match.provider_answered_at = actor, timezone.now()
        audited(match, actor).save()
        _tell_conveyor(match, actor)
    return match


def match_answer_party(*, actor, match, answer, reason=""):
    """The Party says whether it will pursue the offer or finds it not relevant (and why)."""
    with transaction.atomic():
        match, reason = _answer(
            actor, match, "answer_party", answer, reason, Match.PartyAnswer.values, Match.PartyAnswer.NOT_RELEVANT
        )
        match.party_answer, match.party_reason = answer, reason
        match.party_answered_by, match.party_answered_at = actor, timezone.now()
        audited(match, actor).save()
        _tell_conveyor(match, actor)
    return match


def _tell_conveyor(match, actor):
    person = match.conveyed_by
    if person is None or person == actor or not person.is_active:
        return
    subject, body = _mail("matching/mail/answered.txt", person.preferred_language, {
        "match": match, "person": person, "by": actor, "link": f"{settings.SITE_URL}{match.get_absolute_url()}",
    })
    transaction.on_commit(lambda: send_mail(subject, body, None, [person.email]))

