from django.core.management.base import BaseCommand

from tahub.assessments.tasks import send_due_reminders


class Command(BaseCommand):
    help = "Queue the daily reminders of every open needs-assessment cycle (run once a day, e.g. from cron)."

    def handle(self, *args, **options):
        result = send_due_reminders.enqueue()
        self.stdout.write(f"Reminders queued ({result.status}).")
