from django.core.management.base import BaseCommand
from django_tasks import TaskResultStatus

from tahub.assistance.tasks import send_digests


class Command(BaseCommand):
    help = (
        "Send the nightly e-mails of requests for assistance, as a background task (run once a day, e.g. from "
        "cron): each person's pending news in one digest, and each owner's overdue requests."
    )

    def handle(self, *args, **options):
        result = send_digests.enqueue()
        if result.status == TaskResultStatus.SUCCESSFUL:
            # The immediate backend ran it already (TAHUB_TASKS_BACKEND=immediate): say what it did.
            self.stdout.write(f"Digest e-mails sent: {result.return_value}.")
        else:
            self.stdout.write(f"Digests queued ({result.status}).")
