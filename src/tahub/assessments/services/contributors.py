"""A Party's focal point shares the drafting: invites contributors and assigns them sections.

Contributors draft only their sections (``ResponsePolicy.editable_sections``, enforced in
``response_save``); only a focal point submits.
"""

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from tahub.accounts.models import User
from tahub.accounts.roles import Role
from tahub.accounts.services import membership_grant, user_create
from tahub.assessments.models import SectionAssignment, SentMail
from tahub.assessments.permissions import response_policy
from tahub.assessments.selectors import version_spec
from tahub.core.audit import audited
from tahub.core.i18n import pick


def _require_assign(actor, response):
    if actor is not None and not response_policy.can(actor, "assign", response):
        raise PermissionDenied


def _set_password_link(user, site_url):
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)},
    )
    return site_url.rstrip("/") + path


@transaction.atomic
def contributor_assign(*, actor, response, user, sections):
    """Give ``user`` (a contributor of the Party) exactly ``sections`` of the response to draft."""
    _require_assign(actor, response)
    if not user.memberships.active().filter(role=Role.CONTRIBUTOR, country=response.country).exists():
        raise ValidationError(_("%(person)s is not a contributor for this Party.") % {"person": user.full_name})
    known = [section.code for section in version_spec(response.cycle.version).sections]
    unknown = sorted(set(sections) - set(known))
    if unknown:
        raise ValidationError(_("No such section in this questionnaire: %(codes)s.") % {"codes": ", ".join(unknown)})
    assignment, _created = SectionAssignment.objects.get_or_create(
        cycle=response.cycle, country=response.country, user=user
    )
    assignment.sections = [code for code in known if code in set(sections)]
    audited(assignment, actor).save()
    return assignment


@transaction.atomic
def contributor_invite(*, actor, response, email, full_name, sections, site_url, preferred_language="en"):
    """Make ``email`` a contributor for the response's Party and assign them ``sections``.

    A new person gets an account without a password and an e-mail with a link to choose one;
    someone who already has an account is told what they have been asked to draft.
    """
    _require_assign(actor, response)
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        user = user_create(actor=None, email=email, full_name=full_name, preferred_language=preferred_language)
    membership_grant(actor=None, user=user, role=Role.CONTRIBUTOR, scope=response.country)
    assignment = contributor_assign(actor=actor, response=response, user=user, sections=sections)
    spec = version_spec(response.cycle.version)
    with translation.override(user.preferred_language or "en"):
        titles = [pick(section.labels)[0] for section in spec.sections if section.code in assignment.sections]
        body = render_to_string(
            "assessments/mail/contributor.txt",
            {
                "person": user, "inviter": actor, "response": response, "sections": titles,
                "link": _set_password_link(user, site_url) if created else site_url.rstrip("/") + response_link(response),
                "new_account": created,
            },
        )
    subject, _blank, text = body.partition("\n\n")
    transaction.on_commit(lambda: send_mail(subject.strip(), text.strip(), None, [user.email]))
    SentMail.objects.create(
        kind=SentMail.Kind.CONTRIBUTOR, cycle=response.cycle, country=response.country,
        recipient=user.email, subject=subject.strip(),
    )
    return assignment


def response_link(response):
    return reverse("assessments:response_detail", kwargs={"pk": response.pk})
