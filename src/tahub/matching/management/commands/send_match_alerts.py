from django.core.management.base import BaseCommand
from django_tasks import TaskResultStatus

from tahub.matching.tasks import send_alerts


class Command(BaseCommand):
    help = (
        "Send the match alerts due today, as a background task (run once a day, e.g. from cron): new offers "
        "matching a Party's needs to its focal points, new requests and needs matching their offers to providers."
    )

    def handle(self, *args, **options):
        result = send_alerts.enqueue()
        if result.status == TaskResultStatus.SUCCESSFUL:
            self.stdout.write(f"Alert e-mails sent: {result.return_value}.")
        else:
            self.stdout.write(f"Alerts queued ({result.status}).")
