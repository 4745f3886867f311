"""A response's versions, the differences between them, and who did what when."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from tahub.assessments.diff import answer_changes
from tahub.assessments.models import Response
from tahub.assessments.selectors import response_get_for, version_spec
from tahub.reference.models import KindOfHelp, Theme


def _timeline(response, spec):
    """The saved states of this version, oldest first, each with who, when, what and which answers changed."""
    labels = dict(Response.Status.choices)
    events = []
    previous = None
    for record in response.history.select_related("history_user").order_by("history_date", "history_id"):
        if previous is None:
            what = _("Started")
        elif record.status != previous.status:
            what = labels.get(record.status, record.status)
        else:
            what = _("Draft saved")
        changed = answer_changes(spec, previous.answers if previous else {}, record.answers)
        if previous is not None and not changed and record.status == previous.status:
            previous = record
            continue  # a save that changed no answer (a confirmation only, say)
        events.append({
            "when": record.history_date,
            "who": record.history_user,
            "what": what,
            "changed": [change.code for change in changed],
        })
        previous = record
    for query in response.queries.select_related("author"):
        events.append({
            "when": query.created_at, "who": query.author, "what": _("Query on %(code)s") % {"code": query.question_code},
            "changed": [], "text": query.text,
        })
    return sorted(events, key=lambda event: event["when"], reverse=True)


@login_required
def response_history(request, pk):
    response = response_get_for(request.user, pk)
    spec = version_spec(response.cycle.version)
    versions = list(
        Response.objects.filter(cycle=response.cycle, country=response.country)
        .select_related("submitted_by", "reviewed_by")
        .order_by("number")
    )
    earlier = [version for version in versions if version.number < response.number]
    try:
        against_number = int(request.GET.get("against", earlier[-1].number if earlier else 0))
    except ValueError:
        against_number = 0
    against = next((v for v in versions if v.number == against_number and v.pk != response.pk), None)
    themes = {theme.code: theme.label for theme in Theme.objects.all()}
    kinds = {kind.code: kind.label for kind in KindOfHelp.objects.all()}
    context = {
        "response": response,
        "versions": versions,
        "against": against,
        "changes": answer_changes(spec, against.answers, response.answers, themes=themes, kinds=kinds) if against else None,
        "timeline": _timeline(response, spec),
    }
    return render(request, "assessments/response_history.html", context)
