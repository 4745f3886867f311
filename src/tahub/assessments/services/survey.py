"""The available-assistance survey that runs alongside a needs-assessment cycle.

While Parties report their needs, invited providers (the governments of developed-country
Parties, intergovernmental organisations and others the Secretariat chooses) report the
assistance they can offer: each offer through the ordinary offer form, tied to the cycle, or a
statement that they have no new offers. Invitations and reminders go to each provider's
people; the cycle's tracking shows who answered.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tahub.accounts.actors import is_secretariat, scope_ids
from tahub.accounts.models import Membership, Organisation, User
from tahub.accounts.roles import Role
from tahub.assessments.models import Cycle, ProviderInvitation, SentMail
from tahub.core.audit import audited
from tahub.reference.models import Country


def default_invited_providers():
    """Active organisations with someone to answer for them: governments of developed-country
    Parties and intergovernmental organisations."""
    answering = Membership.objects.active().filter(role=Role.PROVIDER).values("organisation_id")
    return Organisation.objects.filter(is_active=True, pk__in=answering).filter(
        Q(type=Organisation.Type.PARTY_GOVERNMENT, country__classification=Country.Classification.DEVELOPED)
        | Q(type=Organisation.Type.IGO)
    )


def survey_invite(*, cycle, organisations):
    """Create the provider invitations of a new cycle (called by ``cycle_create``)."""
    ProviderInvitation.objects.bulk_create(
        ProviderInvitation(cycle=cycle, organisation=organisation) for organisation in organisations
    )


@transaction.atomic
def survey_set_invited(*, actor, cycle, organisations):
    """Change which providers the survey asks, while the cycle is still a draft."""
    if actor is not None and not is_secretariat(actor):
        raise PermissionDenied
    if not cycle.offers_survey:
        raise ValidationError(_("The available-assistance survey does not run in this cycle."))
    if cycle.status != Cycle.Status.DRAFT:
        raise ValidationError(_("Invitations can only be changed before the cycle opens."))
    wanted = {organisation.pk for organisation in organisations}
    cycle.provider_invitations.exclude(organisation__in=wanted).delete()
    existing = set(cycle.provider_invitations.values_list("organisation_id", flat=True))
    ProviderInvitation.objects.bulk_create(
        ProviderInvitation(cycle=cycle, organisation_id=pk) for pk in wanted - existing
    )


def _provider_people(organisation):
    return User.objects.filter(
        is_active=True,
        memberships__role=Role.PROVIDER,
        memberships__organisation=organisation,
        memberships__is_active=True,
    ).distinct()


def _mail_provider(*, invitation, kind, template):
    """One e-mail to each of the provider's people, in their language, recorded."""
    sent = 0
    for person in _provider_people(invitation.organisation):
        with translation.override(person.preferred_language or "en"):
            body = render_to_string(
                template, {"cycle": invitation.cycle, "invitation": invitation, "person": person}
            )
            subject, _blank, text = body.partition("\n\n")
        send_mail(subject.strip(), text.strip(), None, [person.email])
        SentMail.objects.create(
            kind=kind, cycle=invitation.cycle, organisation=invitation.organisation, recipient=person.email,
            subject=subject.strip(),
        )
        sent += 1
    return sent


def survey_send_invitations(*, cycle_id):
    """Invite every invited provider that has not been invited yet."""
    cycle = Cycle.objects.get(pk=cycle_id)
    if not cycle.offers_survey:
        return 0
    sent = 0
    for invitation in cycle.provider_invitations.filter(invited_at__isnull=True).select_related("organisation", "cycle"):
        sent += _mail_provider(
            invitation=invitation, kind=SentMail.Kind.INVITATION, template="assessments/mail/survey_invitation.txt"
        )
        invitation.invited_at = timezone.now()
        invitation.save(update_fields=["invited_at"])
    return sent


def survey_send_reminders(*, cycle_id, today=None, force=False):
    """Remind the providers that have not answered, ``reminder_days`` before the closing date
    (all at once with ``force``, the "remind now" button); each at most once a day."""
    cycle = Cycle.objects.get(pk=cycle_id)
    if not cycle.offers_survey or cycle.status != Cycle.Status.OPEN:
        return 0
    today = today or timezone.localdate()
    if today > cycle.closes_on or not (force or cycle.closes_on - timedelta(days=cycle.reminder_days) <= today):
        return 0
    sent = 0
    waiting = cycle.provider_invitations.filter(responded_at__isnull=True).select_related("organisation", "cycle")
    for invitation in waiting:
        if invitation.last_reminded_at and invitation.last_reminded_at.date() >= today:
            continue
        sent += _mail_provider(
            invitation=invitation, kind=SentMail.Kind.REMINDER, template="assessments/mail/survey_reminder.txt"
        )
        invitation.last_reminded_at = timezone.now()
        invitation.save(update_fields=["last_reminded_at"])
    return sent


def answers_for(actor, organisation_id):
    """Whether ``actor`` may answer the survey for the organisation: one of its people, or the
    Secretariat recording an answer received by letter or e-mail (``actor`` None: the system)."""
    return actor is None or is_secretariat(actor) or organisation_id in scope_ids(actor, Role.PROVIDER, "organisation")


def survey_invitation_for_offer(*, actor, cycle, provider):
    """The invitation under which ``actor`` reports an offer of ``provider`` in ``cycle``'s survey.

    Refused unless the survey is open and asks that provider, and ``actor`` answers for it (one of
    its people, or the Secretariat recording an answer received by letter or e-mail).
    """
    invitation = ProviderInvitation.objects.filter(cycle=cycle, organisation=provider).select_related("cycle").first()
    if invitation is None or not cycle.offers_survey:
        raise ValidationError(
            {"survey_cycle": _("%(provider)s is not invited to this cycle's available-assistance survey.")
             % {"provider": provider.name}}
        )
    if not answers_for(actor, provider.pk):
        raise PermissionDenied
    if cycle.status != Cycle.Status.OPEN:
        raise ValidationError({"survey_cycle": _("The survey of this cycle is not open.")})
    return invitation


def survey_record_offer(*, invitation):
    """An offer was reported under ``invitation``: the provider has answered, with offers."""
    invitation = ProviderInvitation.objects.select_for_update().get(pk=invitation.pk)
    invitation.no_new_offers = False
    invitation.responded_at = invitation.responded_at or timezone.now()
    invitation.save()
    return invitation


@transaction.atomic
def survey_declare_no_new_offers(*, actor, invitation, comment=""):
    """The provider states it has no new offers in this cycle (with an optional comment)."""
    invitation = ProviderInvitation.objects.select_for_update().select_related("cycle", "organisation").get(
        pk=invitation.pk
    )
    if not answers_for(actor, invitation.organisation_id):
        raise PermissionDenied
    if invitation.cycle.status != Cycle.Status.OPEN:
        raise ValidationError(_("The survey of this cycle is not open."))
    if invitation.cycle.survey_offers.filter(provider=invitation.organisation).exists():
        raise ValidationError(
            _("Offers have already been reported in this survey; withdraw them first if there are none to report.")
        )
    invitation.no_new_offers = True
    invitation.comment = (comment or "").strip()[:2000]
    invitation.responded_at = invitation.responded_at or timezone.now()
    audited(invitation, actor).save()
    return invitation
