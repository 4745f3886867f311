"""Reference data shipped with tahub and maintained by the Secretariat afterwards."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tahub.core.i18n import current_suffix
from tahub.core.models import LabelledInSixLanguages, NamedInSixLanguages


class RegionalGroup(NamedInSixLanguages):
    """One of the five UN regional groups of Member States."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("UN regional group")
        verbose_name_plural = _("UN regional groups")

    def __str__(self):
        return self.name


class Convention(NamedInSixLanguages):
    code = models.CharField(_("code"), max_length=20, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")

    def __str__(self):
        return self.name


class CountryQuerySet(models.QuerySet):
    def parties(self):
        return self.filter(basel_party=Country.PartyStatus.PARTY)

    def eligible_for_assistance(self):
        """Developing countries and economies in transition: those the needs cycles ask."""
        return self.filter(
            classification__in=[Country.Classification.DEVELOPING, Country.Classification.TRANSITION]
        )

    def order_by_name(self):
        return self.order_by(f"name_{current_suffix()}", "name_en")


class Country(NamedInSixLanguages):
    """A State (or the EU) that is, or may become, a Party to the Basel Convention."""

    class Kind(models.TextChoices):
        STATE = "state", _("UN Member State")
        OBSERVER_STATE = "observer_state", _("Observer State")
        ASSOCIATED_STATE = "associated_state", _("State in free association")
        REIO = "regional_economic_integration_organization", _("Regional economic integration organization")

    class PartyStatus(models.TextChoices):
        PARTY = "yes", _("Party")
        NOT_PARTY = "no", _("Not a Party")
        UNKNOWN = "unknown", _("Not confirmed")

    class Classification(models.TextChoices):
        DEVELOPING = "developing", _("Developing country")
        TRANSITION = "transition", _("Economy in transition")
        DEVELOPED = "developed", _("Developed country")
        UNKNOWN = "unknown", _("Not classified")

    iso3 = models.CharField(_("ISO 3166 alpha-3"), max_length=3, unique=True)
    iso2 = models.CharField(_("ISO 3166 alpha-2"), max_length=2, blank=True)
    kind = models.CharField(_("kind"), max_length=60, choices=Kind.choices)
    regional_group = models.ForeignKey(
        RegionalGroup,
        verbose_name=_("UN regional group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="countries",
    )
    m49_region = models.CharField(_("M49 region"), max_length=60, blank=True)
    m49_subregion = models.CharField(_("M49 sub-region"), max_length=60, blank=True)
    basel_party = models.CharField(_("Basel Convention party status"), max_length=10, choices=PartyStatus.choices)
    classification = models.CharField(_("classification"), max_length=20, choices=Classification.choices)
    classification_source = models.CharField(
        _("source of the classification"),
        max_length=255,
        blank=True,
        help_text=_("The list the classification was taken from, with its edition."),
    )
    ldc = models.BooleanField(_("least developed country"), default=False)
    sids = models.BooleanField(_("small island developing State"), default=False)
    landlocked = models.BooleanField(_("landlocked developing country"), default=False)

    objects = CountryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portal:party_detail", args=[self.iso3])


class RegionalCentre(models.Model):
    """A Basel Convention regional or coordinating centre (BCRC / BCCC)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    acronym = models.CharField(_("acronym"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)
    host_country = models.ForeignKey(
        Country, verbose_name=_("host country"), on_delete=models.PROTECT, related_name="hosted_centres"
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    countries_served = models.ManyToManyField(
        Country, verbose_name=_("countries served"), blank=True, related_name="centres"
    )
    coordinating_centre = models.ForeignKey(
        "self",
        verbose_name=_("coordinating centre"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_centres",
    )
    is_coordinating_centre = models.BooleanField(_("coordinating centre"), default=False)
    also_stockholm_centre = models.BooleanField(
        _("also a Stockholm Convention regional centre"), null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    countries_served_note = models.CharField(_("note on the countries served"), max_length=255, blank=True)

    history = HistoricalRecords(m2m_fields=[countries_served])

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("regional centre")
        verbose_name_plural = _("regional centres")

    def __str__(self):
        return self.acronym

    def get_absolute_url(self):
        return reverse("portal:centre_detail", args=[self.slug])


class Theme(LabelledInSixLanguages):
    """A technical assistance area, in a two-level tree with stable codes."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    article_16_area = models.BooleanField(
        _("area of Article 16(1)(g)"), default=False, help_text=_("One of the six areas named in Article 16(1)(g).")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.label


class KindOfHelp(LabelledInSixLanguages):
    """One of the four kinds of help of Article 16(1)(g), or a refinement of one."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("kind of help")
        verbose_name_plural = _("kinds of help")

    def __str__(self):
        return self.label
