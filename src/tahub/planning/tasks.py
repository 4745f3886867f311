"""Background tasks of planning: thin, calling services."""

from django_tasks import task

from tahub.planning.services import evaluations_send


@task()
def send_evaluations():
    """Daily: ask the Parties an activity reached for their follow-up evaluation once it is due."""
    return evaluations_send()
