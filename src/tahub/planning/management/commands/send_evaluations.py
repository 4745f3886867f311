from django.core.management.base import BaseCommand
from django_tasks import TaskResultStatus

from tahub.planning.tasks import send_evaluations


class Command(BaseCommand):
    help = (
        "Send the follow-up evaluations due today, as a background task (run once a day, e.g. from cron): each "
        "Party an activity reached is asked, some months after it ended, whether the needs it addressed are met."
    )

    def handle(self, *args, **options):
        result = send_evaluations.enqueue()
        if result.status == TaskResultStatus.SUCCESSFUL:
            self.stdout.write(f"Evaluation e-mails sent: {result.return_value}.")
        else:
            self.stdout.write(f"Evaluations queued ({result.status}).")
