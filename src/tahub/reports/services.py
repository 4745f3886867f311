"""Writes of the reports app: asking for a rendering, and making it (in a background task)."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tahub.assessments.permissions import cycle_policy
from tahub.reports.models import Rendering

log = logging.getLogger(__name__)


@transaction.atomic
def rendering_request(*, actor, kind, cycle=None, scope=None, format, language):
    """Queue a report file for ``actor``; it is made once the request's transaction commits."""
    from django.conf import settings

    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the six languages.")})
    if kind == Rendering.Kind.CYCLE and not cycle_policy.can(actor, "view", cycle):
        raise PermissionDenied
    subject = "" if scope is None or scope.kind == "all" else f"{scope.kind}:{scope.code}"
    rendering = Rendering.objects.create(
        kind=kind, cycle=cycle, subject=subject, format=format, language=language, requested_by=actor,
    )
    from tahub.reports.tasks import render_report

    transaction.on_commit(lambda: render_report.enqueue(rendering.pk))
    return rendering


def _progress(rendering, fraction, step):
    Rendering.objects.filter(pk=rendering.pk).update(progress=round(fraction * 100), step=str(step)[:200])


def rendering_run(rendering):
    """Compute the report in the rendering's language, write the file and mark it ready (or failed)."""
    from tahub.reports.documents import render_docx
    from tahub.reports.exports import render_xlsx
    from tahub.reports.selectors import cycle_summary, scope_from, summary_context

    Rendering.objects.filter(pk=rendering.pk).update(status=Rendering.Status.RUNNING, progress=1, step="")
    try:
        with translation.override(rendering.language):
            _progress(rendering, 0.05, _("Computing the figures"))
            context = summary_context(rendering.requested_by, rendering.cycle, scope_from(rendering.subject))
            report = cycle_summary(context)
            if rendering.format == Rendering.Format.DOCX:
                content = render_docx(report, progress=lambda f, step: _progress(rendering, 0.1 + 0.85 * f, step))
            else:
                content = render_xlsx(report)
        name = f"tahub-summary-{rendering.cycle_id}-{rendering.language}.{rendering.format}"
        rendering.file.save(name, ContentFile(content), save=False)
        Rendering.objects.filter(pk=rendering.pk).update(
            file=rendering.file.name, status=Rendering.Status.DONE, progress=100, step="", finished_at=timezone.now()
        )
    except Exception as exc:  # the requester sees that it failed; the log has the details
        log.exception("rendering %s failed", rendering.pk)
        Rendering.objects.filter(pk=rendering.pk).update(
            status=Rendering.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    rendering.refresh_from_db()
    return rendering
