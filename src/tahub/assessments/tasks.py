"""Background tasks of the assessments app: thin, taking ids, calling services."""

from django_tasks import task

from tahub.assessments.models import Cycle
from tahub.assessments.services.cycles import cycle_send_invitations, cycle_send_reminders


@task()
def send_invitations(cycle_id):
    return cycle_send_invitations(cycle_id=cycle_id)


@task()
def send_reminders(cycle_id, force=False):
    return cycle_send_reminders(cycle_id=cycle_id, force=force)


@task()
def send_due_reminders():
    """Daily: reminders for every open cycle."""
    return sum(cycle_send_reminders(cycle_id=pk) for pk in Cycle.objects.filter(status=Cycle.Status.OPEN).values_list("pk", flat=True))
