"""The requests behind the Secretariat's dashboard, as CSV or XLSX: one row per request.

The renderers are the catalogue's (``offers.exports``): the same neutralised cells and typed
numbers and dates; only the columns differ.
"""

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tahub.assistance.models import Request
from tahub.offers.exports import CONTENT_TYPES, Column, render_csv, render_xlsx


def _days(start, end):
    return round((end - start).total_seconds() / 86400, 1) if start and end else None


def _local(moment):
    return timezone.localdate(moment) if moment else None


def request_columns():
    statuses = dict(Request.Status.choices)
    urgencies = dict(Request.Urgency.choices)
    return [
        Column("reference", _("Reference"), lambda r: r.reference, 14),
        Column("title", _("Title"), lambda r: r.title, 40),
        Column("party", _("Requesting Party"), lambda r: r.country.name, 24),
        Column("regional_group", _("UN regional group"), lambda r: r.country.regional_group.name if r.country.regional_group else "", 20),
        Column("urgency", _("Urgency"), lambda r: str(urgencies[r.urgency]), 10),
        Column("status", _("State"), lambda r: str(statuses[r.status]), 18),
        Column("overdue", _("Overdue"), lambda r: bool(r.overdue), 9),
        Column("submitted", _("Submitted"), lambda r: _local(r.submitted_at), 12),
        Column("acknowledged", _("Acknowledged"), lambda r: _local(r.acknowledged_at), 12),
        Column("ended", _("Ended"), lambda r: _local(r.ended_at), 12),
        Column("days_to_acknowledge", _("Days to acknowledge"), lambda r: _days(r.submitted_at, r.acknowledged_at), 10),
        Column("days_to_end", _("Days to end"), lambda r: _days(r.submitted_at, r.ended_at), 10),
        Column("owner", _("Owner"), lambda r: (r.owner.full_name or r.owner.email) if r.owner else "", 20),
        Column("centre", _("Centre"), lambda r: (r.centre.acronym or r.centre.name) if r.centre else "", 14),
        Column("themes", _("Themes"), lambda r: [theme.label for theme in r.theme_list], 30),
        Column("kinds", _("Kinds of help"), lambda r: [kind.label for kind in r.kind_list], 24),
        Column("rating", _("Rating"), lambda r: r.rating, 8),
    ]


def requests_response(requests, fmt):
    """The requests (as ``selectors.request_list_for`` gives them) as a CSV or XLSX download."""
    columns = request_columns()
    rows = requests.iterator(chunk_size=500)
    filename = f"tahub-requests-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "xlsx":
        response = HttpResponse(render_xlsx(rows, columns, sheet_name=_("Requests")), content_type=CONTENT_TYPES[fmt])
    else:
        response = StreamingHttpResponse(render_csv(rows, columns), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
