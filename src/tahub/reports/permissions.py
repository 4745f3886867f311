"""Who may read which report.

The cycle summary follows the cycle (``cycle_policy``): published cycles are public, the open
and closed ones are for signed-in members, drafts for the Secretariat; which of its figures a
reader sees is decided by ``selectors.sees_in_full``. A Party report is for the Party's focal
points and the Secretariat. A rendering is its requester's.
"""

from django.http import Http404

from tahub.accounts.actors import is_secretariat, memberships_of
from tahub.accounts.roles import Role
from tahub.reference.models import Country
from tahub.reports.models import Rendering


def party_report_countries(actor):
    if is_secretariat(actor):
        return Country.objects.all()
    own = {m.country_id for m in memberships_of(actor) if m.role == Role.PARTY_FOCAL_POINT}
    return Country.objects.filter(pk__in=own)


def party_report_country_for(actor, iso3=None):
    """The Party whose report ``actor`` may read (404 otherwise); without ``iso3``, the actor's
    own Party when it is a focal point of exactly one, else None."""
    if not getattr(actor, "is_authenticated", False):
        if iso3 is None:
            return None
        raise Http404
    countries = party_report_countries(actor)
    if iso3 is None:
        own = [m.country for m in memberships_of(actor) if m.role == Role.PARTY_FOCAL_POINT]
        return own[0] if len(own) == 1 else None
    country = countries.filter(iso3=iso3.upper()).first()
    if country is None:
        raise Http404
    return country


def rendering_get_for(actor, token):
    rendering = Rendering.objects.filter(token=token, requested_by=actor).select_related("cycle").first()
    if rendering is None:
        raise Http404
    return rendering
