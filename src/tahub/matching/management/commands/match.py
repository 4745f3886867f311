import time

from django.core.management.base import BaseCommand, CommandError

from tahub.matching.services import match_all


class Command(BaseCommand):
    help = (
        "Score every open need and accepted request against every open offer from scratch (--all), "
        "printing progress; run it nightly, and after changing the scoring weights by hand."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Recompute every suggestion (required).")

    def handle(self, *args, **options):
        if not options["all"]:
            raise CommandError("Say --all: a full recompute is the only run this command makes.")
        started = time.monotonic()
        last = {"step": None}

        def progress(step, done, total):
            if step != last["step"] or done == total or done % 2048 < 256:
                self.stdout.write(f"{step}: {done}/{total}")
                last["step"] = step

        counts = match_all(progress=progress)
        self.stdout.write(
            f"Scored {counts['subjects']} needs and requests against {counts['offers']} open offers: "
            f"{counts['suggestions']} suggestions in {time.monotonic() - started:.1f} s."
        )
