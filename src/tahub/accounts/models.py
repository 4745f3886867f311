"""People, their organisations, their scoped roles and their API tokens."""

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tahub.accounts.roles import SCOPE_FIELD, Role
from tahub.reference.models import Country, RegionalCentre, RegionalGroup


class Organisation(models.Model):
    class Type(models.TextChoices):
        PARTY_GOVERNMENT = "party_government", _("Party government")
        IGO = "igo", _("Intergovernmental organisation")
        NGO = "ngo", _("Non-governmental organisation")
        ACADEMIA = "academia", _("Academia and research")
        PRIVATE_SECTOR = "private_sector", _("Private sector")
        REGIONAL_CENTRE = "regional_centre", _("Regional centre")
        SECRETARIAT = "secretariat", _("Secretariat")

    name = models.CharField(_("name"), max_length=255, unique=True)
    acronym = models.CharField(_("acronym"), max_length=60, blank=True)
    type = models.CharField(_("type"), max_length=30, choices=Type.choices)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )
    centre = models.OneToOneField(
        RegionalCentre,
        verbose_name=_("regional centre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisation",
    )
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        # E-mail addresses are stored lower-case; people type them in any case.
        return self.get(email=(username or "").strip().lower())

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in with an e-mail address."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    preferred_language = models.CharField(_("preferred language"), max_length=10, default="en")
    notify_daily = models.BooleanField(
        _("daily digest"), default=False,
        help_text=_("Receive news of requests once a day in one e-mail instead of one e-mail each."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        # Stored lower-case, whatever path creates the account (admin, service, command).
        self.email = (self.email or "").strip().lower()

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


def _scope_constraint():
    """Each role's membership names exactly its own scope (and no other)."""
    # A tuple, not a set: the order must be stable or the migration would change from run to run.
    scope_fields = ("organisation", "country", "regional_group", "centre")
    condition = Q()
    for role, field in SCOPE_FIELD.items():
        clause = Q(role=role)
        for other in scope_fields:
            clause &= Q(**{f"{other}__isnull": other != field})
        condition |= clause
    return models.CheckConstraint(condition=condition, name="membership_scope_matches_role")


class Membership(models.Model):
    """A role held by a user, scoped to a region, centre, Party or organisation."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    regional_group = models.ForeignKey(
        RegionalGroup, verbose_name=_("UN regional group"), on_delete=models.PROTECT, null=True, blank=True
    )
    centre = models.ForeignKey(
        RegionalCentre, verbose_name=_("regional centre"), on_delete=models.PROTECT, null=True, blank=True
    )
    country = models.ForeignKey(
        Country, verbose_name=_("Party"), on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["role"]
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        # Holding the same role twice for the same scope is refused by membership_grant.
        constraints = [_scope_constraint()]

    def __str__(self):
        scope = self.scope
        return f"{self.get_role_display()} — {scope}" if scope else str(self.get_role_display())

    @property
    def scope(self):
        field = SCOPE_FIELD[Role(self.role)]
        return getattr(self, field) if field else None

    @property
    def scope_key(self):
        """A stable identifier of the scope: ISO code, group code, centre slug or organisation name."""
        scope = self.scope
        if scope is None:
            return None
        for attribute in ("iso3", "code", "slug"):
            if hasattr(scope, attribute):
                return getattr(scope, attribute)
        return scope.name


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest is stored; the secret is shown once."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, help_text=_("The first characters, to recognise it."))
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self):
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())
