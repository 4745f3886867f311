"""Every write to accounts: users, roles, API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tahub.accounts.actors import forget_memberships
from tahub.accounts.models import ApiToken, Membership, User
from tahub.accounts.permissions import people_policy, token_policy
from tahub.accounts.roles import SCOPE_FIELD, Role
from tahub.core.audit import audited

TOKEN_PREFIX = "tahub_"




@transaction.atomic
def user_set_preferences(*, actor, user, preferred_language, notify_daily):
    """A person's own choices: the language of their e-mails, and news of requests at once or daily."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied
    if preferred_language not in dict(settings.LANGUAGES):
        raise ValidationError({"preferred_language": _("Choose one of the six languages.")})
    user.preferred_language = preferred_language
    user.notify_daily = bool(notify_daily)
    audited(user, actor).save(update_fields=["preferred_language", "notify_daily"])
    return user


def _require_manage(actor):
    if actor is not None and not people_policy.can(actor, "manage"):
        raise PermissionDenied


@transaction.atomic
def user_create(*, actor, email, full_name, password=None, organisation=None, job_title="", preferred_language="en"):
    """Create a person. ``actor`` None means the system (set-up commands, demo data)."""
    _require_manage(actor)
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": _("A user with this e-mail address already exists.")})
    user = User(
        email=email,
        full_name=full_name,
        organisation=organisation,
        job_title=job_title,
        preferred_language=preferred_language,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    audited(user, actor).save()
    return user


@transaction.atomic
def membership_grant(*, actor, user, role, scope=None):
    """Give ``user`` the ``role`` over ``scope`` (a region, centre, Party or organisation)."""
    _require_manage(actor)
    role = Role(role)
    field = SCOPE_FIELD[role]
    if (field is None) != (scope is None):
        raise ValidationError(_("This role needs a scope of the right kind."))
    scope_values = {field: scope} if field else {}
    existing = Membership.objects.filter(user=user, role=role, **scope_values).first()
    if existing is not None:
        if not existing.is_active:
            existing.is_active = True
            audited(existing, actor).save()
        forget_memberships(user)
        return existing
    membership = Membership(user=user, role=role, **scope_values)
    membership.full_clean()
    audited(membership, actor).save()
    forget_memberships(user)
    return membership


@transaction.atomic
def membership_revoke(*, actor, membership):
    _require_manage(actor)
    membership.is_active = False
    audited(membership, actor).save()
    forget_memberships(membership.user)
    return membership


def _digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor, name, expires_at=None):
    """Create a personal API token; returns ``(token, secret)``. The secret is not stored."""
    if not token_policy.can(actor, "create"):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, so you recognise it later.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name[:100], prefix=secret[: len(TOKEN_PREFIX) + 6], digest=_digest(secret), expires_at=expires_at
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor, token):
    if not token_policy.can(actor, "revoke", token):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(secret):
    """The active user a token secret belongs to, or None. Records when it was last used."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = ApiToken.objects.usable().select_related("user").filter(digest=_digest(secret)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
