"""Two needs-assessment cycles answered by hand, through the real services, with known answers."""

from datetime import date

from tahub.assessments.models import Cycle
from tahub.assessments.services.cycles import cycle_close, cycle_publish_results
from tahub.assessments.services.responses import (
    response_accept,
    response_save,
    response_start,
    response_submit,
)
from tahub.reference.models import Country
from tests.assessments.factories import complete_answers, open_cycle, published_version

# What each Party said in each cycle (theme → level); a Party absent from a cycle did not respond.
EARLIER = {
    "KEN": {"monitoring": "high", "legal": "low"},
    "PER": {"monitoring": "medium", "emergency": "high"},
    "SEN": {"legal": "medium"},
    "GHA": {"monitoring": "low"},
}
LATER = {
    "KEN": {"monitoring": "high", "emergency": "medium"},  # monitoring persists, legal dropped, emergency new
    "PER": {"emergency": "high"},  # monitoring dropped, emergency persists
    "GHA": {"monitoring": "low", "legal": "high"},  # monitoring persists, legal new
    "BRA": {"emergency": "low"},  # new (did not answer before)
    "TZA": {"monitoring": "medium"},  # new (not invited before)
    # SEN does not answer: its legal need is not reassessed.
}
INVITED_EARLIER = ("KEN", "PER", "SEN", "GHA", "BRA")
INVITED_LATER = (*INVITED_EARLIER, "TZA")


def answer(cycle, iso3, levels, *, accept=True):
    """The Party's response to ``cycle`` rating each of the questionnaire's themes as ``levels`` says."""
    country = Country.objects.get(iso3=iso3)
    response = response_start(actor=None, cycle=cycle, country=country)
    answers = complete_answers()
    answers["matrix"] = {
        theme: {"level": levels.get(theme, "none"), "kinds": ["training"] if theme in levels else [], "comment": ""}
        for theme in ("monitoring", "emergency", "legal")
    }
    response, _result = response_save(actor=None, response=response, answers=answers, lock_version=response.lock_version)
    response = response_submit(actor=None, response=response, lock_version=response.lock_version, notify=False)
    return response_accept(actor=None, response=response) if accept else response


def two_cycles(*, publish_later=False):
    """The earlier cycle (results published) and the later one (open, or published)."""
    version = published_version()
    earlier = open_cycle("Needs 2022", opens_on=date(2022, 1, 1), closes_on=date(2022, 12, 31),
                         countries=INVITED_EARLIER, version=version)
    for iso3, levels in EARLIER.items():
        answer(earlier, iso3, levels)
    cycle_publish_results(actor=None, cycle=cycle_close(actor=None, cycle=earlier))
    later = open_cycle("Needs 2026", opens_on=date(2026, 1, 1), closes_on=date(2026, 12, 31),
                       countries=INVITED_LATER, version=version)
    for iso3, levels in LATER.items():
        answer(later, iso3, levels)
    if publish_later:
        later = cycle_publish_results(actor=None, cycle=cycle_close(actor=None, cycle=later))
    return Cycle.objects.get(pk=earlier.pk), Cycle.objects.get(pk=later.pk)
