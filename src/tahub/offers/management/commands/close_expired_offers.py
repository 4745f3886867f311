from django.core.management.base import BaseCommand
from django_tasks import TaskResultStatus

from tahub.offers.tasks import close_expired_offers


class Command(BaseCommand):
    help = "Close the offers whose end date has passed, as a background task (run once a day, e.g. from cron)."

    def handle(self, *args, **options):
        result = close_expired_offers.enqueue()
        if result.status == TaskResultStatus.SUCCESSFUL:
            # The immediate backend ran it already (TAHUB_TASKS_BACKEND=immediate): say what it did.
            self.stdout.write(f"Expired offers closed: {result.return_value}.")
        else:
            self.stdout.write(f"Closing of expired offers queued ({result.status}).")
