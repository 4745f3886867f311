from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tahub.assessments.services.questionnaires import DEFAULT_QUESTIONNAIRE, questionnaire_load
from tahub.assessments.xlsform import DefinitionError
from tahub.reference.models import Theme


class Command(BaseCommand):
    help = "Load a questionnaire definition (XLSForm workbook or folder of CSV sheets) as a new version."

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", default=str(DEFAULT_QUESTIONNAIRE), help="workbook or folder; default: the Basel needs questionnaire")
        parser.add_argument("--publish", action="store_true", help="publish (freeze) the new version")

    def handle(self, *args, source, publish, **options):
        try:
            version, created = questionnaire_load(
                actor=None, source=source, publish=publish, known_themes=set(Theme.objects.values_list("code", flat=True))
            )
        except DefinitionError as exc:
            raise CommandError(f"Questionnaire not loaded, nothing was written:\n{exc}") from exc
        except ValidationError as exc:
            raise CommandError(f"Questionnaire not loaded, nothing was written: {' '.join(exc.messages)}") from exc
        if created:
            self.stdout.write(self.style.SUCCESS(f"Loaded {version} ({version.get_status_display()})."))
        else:
            self.stdout.write(f"{version} is already loaded: nothing changed.")
