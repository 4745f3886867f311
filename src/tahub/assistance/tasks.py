"""Background tasks of the assistance app: thin, taking ids, calling services."""

from django_tasks import task

from tahub.assistance.notifications import digests_send, notifications_send


@task()
def send_notifications(notification_ids):
    """E-mail these notifications now (each person who wants news at once, and every emergency)."""
    return notifications_send(ids=notification_ids)


@task()
def send_digests():
    """Nightly: each person's pending news in one e-mail, and each owner's overdue requests."""
    return digests_send()
