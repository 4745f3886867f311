"""Pages of the reports: the cycle summary (for all Parties, a region or a centre's Parties), its
charts and downloads, the records behind each figure, renderings made in the background, the
Party report and the open-data page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tahub.assessments.selectors import cycle_get_for
from tahub.reports import exports, services
from tahub.reports.charts import draw
from tahub.reports.definition import table_data
from tahub.reports.figures import spec_for
from tahub.reports.forms import RenderForm
from tahub.reports.models import Rendering
from tahub.reports.parties import party_report
from tahub.reports.permissions import party_report_country_for, rendering_get_for
from tahub.reports.selectors import (
    cycle_summary,
    figure_records_for,
    published_cycles,
    report_cycles_for,
    response_labels,
    scope_from,
    scopes_for,
    summary_context,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _context(request, pk):
    cycle = cycle_get_for(request.user, pk)
    scope = scope_from(request.GET.get("scope", ""))
    return summary_context(request.user, cycle, scope)


def _attachment(response, name):
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def report_index(request):
    groups, centres = scopes_for(request.user)
    return render(request, "reports/index.html", {
        "cycles": report_cycles_for(request.user), "groups": groups, "centres": centres,
        "party": party_report_country_for(request.user),
    })


def summary(request, pk):
    context = _context(request, pk)
    report = cycle_summary(context)
    return render(request, "reports/summary.html", {
        "report": report, "cycle": context.cycle, "summary": context, "downloads": True,
        "scope_query": "&".join(f"{k}={v}" for k, v in context.scope.query.items()),
        "render_form": RenderForm() if request.user.is_authenticated else None,
    })


def summary_download(request, pk, fmt):
    report = cycle_summary(_context(request, pk))
    name = f"tahub-summary-{pk}-{report.language}"
    if fmt == "xlsx":
        return _attachment(HttpResponse(exports.render_xlsx(report), content_type=XLSX), f"{name}.xlsx")
    if fmt == "json":
        return HttpResponse(exports.render_json(report), content_type="application/json")
    raise Http404


def _computed_table(context, key):
    return next((t for t in cycle_summary(context).tables() if t.key == key), None)


def table_download(request, pk, key, fmt):
    context = _context(request, pk)
    table = _computed_table(context, key)
    if table is None:
        raise Http404
    if fmt == "csv":
        return _attachment(HttpResponse(exports.render_csv(table), content_type="text/csv; charset=utf-8"), f"{key}-{pk}.csv")
    return HttpResponse(exports.render_table_json(table), content_type="application/json")


def chart(request, pk, key):
    table = next((t for t in cycle_summary(_context(request, pk)).tables() if t.key == key), None)
    image = draw(table, image_format="svg") if table is not None else None
    if image is None:
        raise Http404
    response = HttpResponse(image, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


def figure_records(request, pk, table, row, column):
    context = _context(request, pk)
    try:
        spec = spec_for(context, table)
    except KeyError as exc:
        raise Http404 from exc
    computed = spec.compute(context)
    found = next((r for r in computed.rows if r.key == row), None)
    cell = found.cells.get(column) if found is not None else None
    if cell is None or cell.suppressed or column not in {m.key for m in spec.measures}:
        raise Http404
    kind, records = figure_records_for(request.user, context, spec, row, column)
    page = Paginator(records, 100).get_page(request.GET.get("page"))
    return render(request, "reports/records.html", {
        "cycle": context.cycle, "summary": context, "table": computed, "row_label": found.label,
        "column_label": str(spec.measure(column).label), "figure": cell.value, "kind": kind, "page": page,
        "visible": page.paginator.count, "query": "&".join(f"{k}={v}" for k, v in context.scope.query.items()),
        "statuses": response_labels(full=not context.public),
    })


@login_required
@require_POST
def render_request(request, pk):
    cycle = cycle_get_for(request.user, pk)
    form = RenderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a format and a language."))
        return redirect("reports:summary", pk=pk)
    scope = scope_from(request.POST.get("scope", ""))
    rendering = services.rendering_request(
        actor=request.user, kind=Rendering.Kind.CYCLE, cycle=cycle, scope=scope,
        format=form.cleaned_data["format"], language=form.cleaned_data["language"],
    )
    return redirect("reports:rendering", token=rendering.token)


@login_required
def rendering(request, token):
    item = rendering_get_for(request.user, token)
    return render(request, "reports/rendering.html", {"rendering": item, "waiting": item.status in (
        Rendering.Status.QUEUED, Rendering.Status.RUNNING)})


@login_required
def rendering_download(request, token):
    item = rendering_get_for(request.user, token)
    if item.status != Rendering.Status.DONE or not item.file:
        raise Http404
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.file.name.rsplit("/", 1)[-1])


@login_required
def party(request, iso3):
    country = party_report_country_for(request.user, iso3)
    report = party_report(request.user, country)
    return render(request, "reports/party.html", {"report": report, "country": country})


@login_required
def party_download(request, iso3, fmt):
    country = party_report_country_for(request.user, iso3)
    report = party_report(request.user, country)
    if fmt == "xlsx":
        return _attachment(HttpResponse(exports.render_xlsx(report), content_type=XLSX), f"tahub-{country.iso3}.xlsx")
    if fmt == "docx":
        from tahub.reports.documents import render_docx

        return _attachment(HttpResponse(render_docx(report), content_type=DOCX), f"tahub-{country.iso3}.docx")
    raise Http404


def open_data(request):
    cycles = published_cycles()
    dictionary = []
    if cycles:
        context = summary_context(None, cycles[0], audience="public")
        dictionary = [table_data(table) for table in cycle_summary(context).tables()]
    return render(request, "reports/open_data.html", {"cycles": cycles, "dictionary": dictionary})
