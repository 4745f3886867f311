"""What the home page shows each person: starting points with live figures."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import npgettext

from tahub.accounts.actors import memberships_of
from tahub.accounts.models import Membership, User
from tahub.accounts.roles import Role
from tahub.reference.models import Country, RegionalCentre


@dataclass
class StartingPoint:
    title: str
    figure: int | None
    figure_label: str
    url: str


def _focal_point_count(countries):
    return (
        Membership.objects.active()
        .filter(role=Role.PARTY_FOCAL_POINT, country__in=countries)
        .values("country")
        .distinct()
        .count()
    )


def starting_points_for(user):
    """One card per role the user holds, each with a figure read from the database."""
    points = []
    for membership in memberships_of(user):
        role = membership.role
        if role == Role.SECRETARIAT:
            focal_point = Membership.objects.active().filter(role=Role.PARTY_FOCAL_POINT, country=OuterRef("pk"))
            without = Country.objects.parties().eligible_for_assistance().exclude(Exists(focal_point)).count()
            points.append(StartingPoint(
                _("Parties eligible for assistance without a focal point in tahub"), without,
                npgettext("figure", "Party", "Parties", without), reverse("portal:party_list") + "?basel_party=yes",
            ))
            people = User.objects.filter(is_active=True).count()
            points.append(StartingPoint(
                _("People with access to tahub"), people, npgettext("figure", "person", "people", people),
                reverse("accounts:people_list"),
            ))
        elif role == Role.REGIONAL_FOCAL_POINT:
            group = membership.regional_group
            countries = Country.objects.filter(regional_group=group)
            total = countries.count()
            points.append(StartingPoint(
                _("%(group)s: Parties with a focal point in tahub") % {"group": group.name},
                _focal_point_count(countries),
                npgettext("figure", "of %(total)s country", "of %(total)s countries", total) % {"total": total},
                reverse("portal:party_list") + f"?regional_group={group.code}",
            ))
        elif role == Role.CENTRE_STAFF:
            centre = membership.centre
            served = centre.countries_served.count()
            points.append(StartingPoint(
                _("%(centre)s: countries served") % {"centre": centre.acronym}, served,
                npgettext("figure", "country", "countries", served),
                reverse("portal:centre_detail", args=[centre.slug]),
            ))
        elif role in (Role.PARTY_FOCAL_POINT, Role.CONTRIBUTOR):
            country = membership.country
            centres = RegionalCentre.objects.filter(countries_served=country, status=RegionalCentre.Status.ACTIVE).count()
            points.append(StartingPoint(
                _("%(party)s: regional centres serving your Party") % {"party": country.name}, centres,
                npgettext("figure", "centre", "centres", centres),
                reverse("portal:party_detail", args=[country.iso3]),
            ))
        elif role == Role.PROVIDER:
            organisation = membership.organisation
            colleagues = Membership.objects.active().filter(role=Role.PROVIDER, organisation=organisation).count()
            points.append(StartingPoint(
                _("%(organisation)s: colleagues managing its assistance") % {"organisation": organisation.name},
                colleagues, npgettext("figure", "person", "people", colleagues), reverse("accounts:people_list") + f"?role={Role.PROVIDER}",
            ))
    return points


def public_figures():
    """The clearing-house at a glance, for everyone."""
    return Country.objects.aggregate(
        parties=Count("pk", filter=Q(basel_party=Country.PartyStatus.PARTY)),
        eligible=Count(
            "pk",
            filter=Q(
                basel_party=Country.PartyStatus.PARTY,
                classification__in=[Country.Classification.DEVELOPING, Country.Classification.TRANSITION],
            ),
        ),
        ldc=Count("pk", filter=Q(ldc=True)),
        sids=Count("pk", filter=Q(sids=True)),
    ) | {"centres": RegionalCentre.objects.filter(status=RegionalCentre.Status.ACTIVE).count()}
