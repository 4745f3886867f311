"""Needs, accepted requests and offers for matching, built through the real services."""

from tahub.assessments.services.needs import need_record
from tahub.assistance.services import request_move
from tahub.reference.models import Country, KindOfHelp, Theme
from tests.assistance.factories import filed
from tests.offers.factories import published_offer


def need(actor, iso3="KEN", theme="waste_management.ewaste", level="high", kinds=("training",), comment=""):
    return need_record(
        actor=actor, country=Country.objects.get(iso3=iso3), theme=Theme.objects.get(code=theme), level=level,
        kinds=list(KindOfHelp.objects.filter(code__in=kinds)), comment=comment, source="national_report",
    )


def accepted(actor, iso3="KEN", **overrides):
    request = filed(actor, iso3, **overrides)
    request = request_move(actor=actor, request=request, to="under_review")
    return request_move(actor=actor, request=request, to="accepted")


def offer(actor=None, themes=("waste_management.ewaste",), kinds=("training",), **overrides):
    return published_offer(
        actor=actor, themes=list(Theme.objects.filter(code__in=themes)), kinds=list(KindOfHelp.objects.filter(code__in=kinds)),
        **overrides,
    )
