"""Writes to assessment cycles: create, open (invitations), close, publish, extend, remind."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tahub.accounts.models import User
from tahub.accounts.roles import Role
from tahub.assessments.models import Cycle, Invitation, QuestionnaireVersion, Response, SentMail
from tahub.assessments.permissions import cycle_policy
from tahub.assessments.services import survey
from tahub.core.audit import audited
from tahub.reference.models import Country

# Which states a cycle may move to from each state.
TRANSITIONS = {
    Cycle.Status.DRAFT: {Cycle.Status.OPEN},
    Cycle.Status.OPEN: {Cycle.Status.CLOSED},
    Cycle.Status.CLOSED: {Cycle.Status.OPEN, Cycle.Status.PUBLISHED},
    Cycle.Status.PUBLISHED: set(),
}


def _require(actor, action="manage", obj=None):
    if actor is not None and not cycle_policy.can(actor, action, obj):
        raise PermissionDenied




def default_invited_countries():
    """Parties classified developing or economy in transition."""
    return Country.objects.parties().eligible_for_assistance()


@transaction.atomic
def cycle_create(
    *, actor, title, version, period_start, period_end, opens_on, closes_on, conventions=(), countries=None,
    offers_survey=False, reminder_days=14, providers=None,
):
    """A draft cycle inviting ``countries`` (default: developing and transition Parties) and,
    when ``offers_survey``, asking ``providers`` (default: ``survey.default_invited_providers``)."""
    _require(actor)
    if version.status != QuestionnaireVersion.Status.PUBLISHED:
        raise ValidationError({"version": _("Only a published questionnaire version can be used in a cycle.")})
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The closing date must be after the opening date.")})
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period must end after it starts.")})
    cycle = audited(
        Cycle(
            title=title, version=version, period_start=period_start, period_end=period_end, opens_on=opens_on,
            closes_on=closes_on, offers_survey=offers_survey, reminder_days=reminder_days,
        ),
        actor,
    )
    cycle.save()
    cycle.conventions.set(conventions)
    countries = default_invited_countries() if countries is None else countries
    Invitation.objects.bulk_create(Invitation(cycle=cycle, country=country) for country in countries)
    if offers_survey:
        survey.survey_invite(cycle=cycle, organisations=survey.default_invited_providers() if providers is None else providers)
    return cycle


@transaction.atomic
def cycle_set_invited(*, actor, cycle, countries):
    """Change who is invited, while the cycle is still a draft."""
    _require(actor)
    if cycle.status != Cycle.Status.DRAFT:
        raise ValidationError(_("Invitations can only be changed before the cycle opens."))
    wanted = {country.pk for country in countries}
    cycle.invitations.exclude(country__in=wanted).delete()
    existing = set(cycle.invitations.values_list("country_id", flat=True))
    Invitation.objects.bulk_create(Invitation(cycle=cycle, country_id=pk) for pk in wanted - existing)


def _move(actor, cycle, status):
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if status not in TRANSITIONS[Cycle.Status(cycle.status)]:
        raise ValidationError(
            _("A cycle that is %(current)s cannot become %(target)s.")
            % {"current": cycle.get_status_display(), "target": Cycle.Status(status).label}
        )
    cycle.status = status
    audited(cycle, actor).save()
    return cycle


@transaction.atomic
def cycle_open(*, actor, cycle):
    """Open the cycle and send the invitations (in the background, once committed)."""
    _require(actor)
    first_opening = cycle.status == Cycle.Status.DRAFT
    cycle = _move(actor, cycle, Cycle.Status.OPEN)
    if first_opening:
        from tahub.assessments.tasks import send_invitations

        transaction.on_commit(lambda: send_invitations.enqueue(cycle.pk))
    return cycle


@transaction.atomic
def cycle_close(*, actor, cycle):
    _require(actor)
    return _move(actor, cycle, Cycle.Status.CLOSED)


@transaction.atomic
def cycle_publish_results(*, actor, cycle):
    _require(actor)
    return _move(actor, cycle, Cycle.Status.PUBLISHED)


@transaction.atomic
def invitation_extend(*, actor, invitation, deadline):
    _require(actor)
    if deadline < invitation.cycle.closes_on:
        raise ValidationError({"deadline": _("An extension must be later than the cycle's closing date.")})
    invitation.deadline = deadline
    audited(invitation, actor).save()
    return invitation


def _focal_points(country):
    return User.objects.filter(
        is_active=True,
        memberships__role=Role.PARTY_FOCAL_POINT,
        memberships__country=country,
        memberships__is_active=True,
    ).distinct()


def mail_focal_points(*, cycle, country, kind, template, context=None):
    """Send one e-mail to each focal point of ``country``, in their language, and record it."""
    sent = 0
    for person in _focal_points(country):
        with translation.override(person.preferred_language or "en"):
            body = render_to_string(template, {"cycle": cycle, "country": country, "person": person, **(context or {})})
            subject, _blank, text = body.partition("\n\n")
        send_mail(subject.strip(), text.strip(), None, [person.email])
        SentMail.objects.create(kind=kind, cycle=cycle, country=country, recipient=person.email, subject=subject.strip())
        sent += 1
    return sent


def cycle_send_invitations(*, cycle_id):
    """Invite every invited Party's focal points, and the survey's providers, not invited yet."""
    cycle = Cycle.objects.get(pk=cycle_id)
    sent = 0
    for invitation in cycle.invitations.filter(invited_at__isnull=True).select_related("country"):
        sent += mail_focal_points(
            cycle=cycle, country=invitation.country, kind=SentMail.Kind.INVITATION,
            template="assessments/mail/invitation.txt", context={"invitation": invitation},
        )
        invitation.invited_at = timezone.now()
        invitation.save(update_fields=["invited_at"])
    return sent + survey.survey_send_invitations(cycle_id=cycle_id)


def cycle_send_reminders(*, cycle_id, today=None, force=False):
    """Remind Parties that have not submitted, ``reminder_days`` before their deadline, and the
    survey's providers that have not answered.

    ``force`` (the "remind now" button) reminds every such Party at once. A Party is reminded
    at most once a day.
    """
    cycle = Cycle.objects.get(pk=cycle_id)
    if cycle.status != Cycle.Status.OPEN:
        return 0
    today = today or timezone.localdate()
    done = set(
        Response.objects.current()
        .filter(cycle=cycle, status__in=[Response.Status.SUBMITTED, Response.Status.ACCEPTED])
        .values_list("country_id", flat=True)
    )
    sent = 0
    for invitation in cycle.invitations.select_related("country", "cycle"):
        if invitation.country_id in done:
            continue
        due = invitation.effective_deadline - timedelta(days=cycle.reminder_days) <= today
        recently = invitation.last_reminded_at and invitation.last_reminded_at.date() >= today
        if (force or due) and not recently and today <= invitation.effective_deadline:
            sent += mail_focal_points(
                cycle=cycle, country=invitation.country, kind=SentMail.Kind.REMINDER,
                template="assessments/mail/reminder.txt", context={"invitation": invitation},
            )
            invitation.last_reminded_at = timezone.now()
            invitation.save(update_fields=["last_reminded_at"])
    return sent + survey.survey_send_reminders(cycle_id=cycle_id, today=today, force=force)
