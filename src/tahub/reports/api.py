"""Summaries over JSON: the same computed report the pages render (``selectors.cycle_summary``),
so a figure is the same number on the page, in the API and in every download.

Withheld figures are ``null`` and listed in each row's ``withheld``; who sees which figures is
decided by the selectors, as for the pages.
"""

from typing import Any

from ninja import Router, Schema

from tahub.api.auth import AUTH_OPTIONAL, AUTH_REQUIRED
from tahub.assessments.selectors import cycle_get_for
from tahub.reports.parties import party_report
from tahub.reports.permissions import party_report_country_for
from tahub.reports.selectors import cycle_summary, report_cycles_for, scope_from, summary_context

router = Router(tags=["summaries"])


class SummaryListItem(Schema):
    id: int
    title: str
    status: str
    url: str


class ColumnOut(Schema):
    key: str
    label: str
    kind: str


class TableOut(Schema):
    key: str
    title: str
    description: str
    columns: list[ColumnOut]
    rows: list[dict[str, Any]]


class SummaryOut(Schema):
    key: str
    title: str
    subtitle: str
    audience: str
    language: str
    generated_at: str
    notes: list[str]
    tables: list[TableOut]


@router.get("/summaries", response=list[SummaryListItem], auth=AUTH_OPTIONAL, summary="Cycles with a summary the caller may read")
def list_summaries(request):
    return [
        {"id": c.pk, "title": c.title, "status": c.status, "url": f"/api/v1/summaries/{c.pk}"}
        for c in report_cycles_for(request.user)
    ]


@router.get(
    "/summaries/{cycle_id}", response=SummaryOut, auth=AUTH_OPTIONAL,
    summary="A cycle's summary: every table and figure (scope: region:<group code> or centre:<slug>)",
)
def get_summary(request, cycle_id: int, scope: str = ""):
    cycle = cycle_get_for(request.user, cycle_id)
    return cycle_summary(summary_context(request.user, cycle, scope_from(scope))).as_data()


@router.get(
    "/parties/{iso3}/report", response=SummaryOut, auth=AUTH_REQUIRED,
    summary="A Party's report (its focal points and the Secretariat): needs across cycles, requests, offers matched",
)
def get_party_report(request, iso3: str):
    country = party_report_country_for(request.user, iso3)
    return party_report(request.user, country).as_data()
