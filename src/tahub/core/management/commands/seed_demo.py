from django.core.management.base import BaseCommand, CommandError

from tahub.accounts.demo import DEMO_PASSWORD, demo_counts, seed_people
from tahub.assessments.demo import demo_counts as assessment_counts
from tahub.assessments.demo import seed_cycles
from tahub.assessments.services.questionnaires import DEFAULT_QUESTIONNAIRE, questionnaire_load
from tahub.assistance.demo import demo_counts as request_counts
from tahub.assistance.demo import seed_requests
from tahub.matching import hooks
from tahub.matching.demo import seed_matches
from tahub.offers.demo import demo_counts as offer_counts
from tahub.offers.demo import seed_offers
from tahub.planning.demo import demo_counts as planning_counts
from tahub.planning.demo import seed_planning
from tahub.reference.loading import ReferenceDataError
from tahub.reference.models import Theme
from tahub.reference.services import reference_load


class Command(BaseCommand):
    help = "Load the reference data and a realistic, deterministic demo data set (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="multiply volumes (10 = benchmark scale)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed; the same seed gives the same data")
        parser.add_argument("--quiet", action="store_true", help="do not print the demo accounts")

    def handle(self, *args, scale, seed, quiet, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more")
        try:
            reference_load()
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        before = demo_counts() | assessment_counts() | offer_counts() | request_counts() | planning_counts()
        with hooks.paused():  # one full scoring run at the end instead of one per record
            showcase = seed_people(scale=scale, seed=seed)
            seed_offers(scale=scale, seed=seed)
            questionnaire_load(
                actor=None, source=DEFAULT_QUESTIONNAIRE, publish=True,
                known_themes=set(Theme.objects.values_list("code", flat=True)),
            )
            seed_cycles(scale=scale, seed=seed)
            seed_requests(scale=scale, seed=seed)  # after the cycles: requests answer the needs they found
            matched = seed_matches(seed=seed)
        # After the requests and matches, which activities deliver; outside the pause, so that the
        # needs its reports and evaluations meet are rescored once, when it commits.
        seed_planning(scale=scale, seed=seed)
        self.stdout.write(f"matching: {matched['suggestions']} suggestions, {matched['conveyed']} conveyed in the demo")
        after = demo_counts() | assessment_counts() | offer_counts() | request_counts() | planning_counts()
        for kind, total in after.items():
            self.stdout.write(f"{kind}: {total} ({total - before[kind]} new)")
        if quiet:
            return
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD})"))
        width = max(len(email) for _role, email, _scope in showcase)
        for role, email, scope in showcase:
            self.stdout.write(f"  {email.ljust(width)}  {role.label}{f' — {scope}' if scope else ''}")
