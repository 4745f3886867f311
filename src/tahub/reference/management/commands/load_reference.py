from django.core.management.base import BaseCommand, CommandError

from tahub.reference.loading import DATA_DIR, ReferenceDataError
from tahub.reference.services import reference_load


class Command(BaseCommand):
    help = "Load the shipped reference data (countries, groups, centres, themes, kinds of help)."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", default=str(DATA_DIR), help="folder holding the CSV files")
        parser.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")

    def handle(self, *args, data_dir, dry_run, **options):
        try:
            report = reference_load(data_dir=data_dir, dry_run=dry_run)
        except ReferenceDataError as exc:
            raise CommandError(f"Reference data not loaded, nothing was written: {exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
        if not report.changed:
            self.stdout.write(self.style.SUCCESS("Reference data already up to date: nothing changed."))
        elif dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS("Reference data loaded."))
