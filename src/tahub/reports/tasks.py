"""Background tasks of the reports app: thin, taking ids, calling services."""

from django_tasks import task

from tahub.reports.models import Rendering
from tahub.reports.services import rendering_run


@task()
def render_report(rendering_id):
    """Make one requested report file (DOCX or XLSX), updating its progress as it goes."""
    rendering = Rendering.objects.select_related("cycle", "requested_by").filter(pk=rendering_id).first()
    if rendering is None or rendering.status != Rendering.Status.QUEUED:
        return None
    return rendering_run(rendering).status
