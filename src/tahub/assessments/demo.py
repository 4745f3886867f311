"""Demo needs-assessment cycles: 2014, 2016, 2020 (results published) and 2024 (open).

Answers follow regional patterns (e-waste and used lead-acid batteries weigh heavily in Africa,
plastic waste in Asia-Pacific and the Caribbean, POPs and legal frameworks in Eastern Europe),
and needs ease a little from cycle to cycle, so that trends and gaps have something to show.
Everything goes through the same services as the pages; the run is deterministic and idempotent.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from tahub.accounts.models import Membership, User
from tahub.accounts.roles import Role
from tahub.assessments.models import Cycle, Questionnaire, QuestionnaireVersion, Response
from tahub.assessments.selectors import version_spec
from tahub.assessments.services import cycles as cycle_services
from tahub.assessments.services import responses as response_services
from tahub.assessments.services.contributors import contributor_assign
from tahub.assessments.spec import QuestionType
from tahub.assessments.validation import validate_response
from tahub.reference.models import Convention, KindOfHelp, Theme

# Parties whose open-cycle answers stay a draft, drafted with their contributor (demo walkthroughs).
SHOWCASE_DRAFTS = {"KEN"}

CYCLES = [
    ("Technical assistance needs assessment 2014", 2014, Cycle.Status.PUBLISHED),
    ("Technical assistance needs assessment 2016", 2016, Cycle.Status.PUBLISHED),
    ("Technical assistance needs assessment 2020", 2020, Cycle.Status.PUBLISHED),
    ("Technical assistance needs assessment 2024", 2024, Cycle.Status.OPEN),
]

# Weight of a need (0–3) per regional group and theme code prefix; 1 when unlisted.
REGIONAL_WEIGHTS = {
    "AFRICA": {"waste_management.ewaste": 3, "waste_management.ulab": 3, "waste_management.biomedical": 3,
               "monitoring": 2.5, "emergency": 2.5, "enforcement": 2.2, "disposal": 2.5},
    "ASIA_PACIFIC": {"waste_management.plastic": 3, "waste_management.ewaste": 2.8, "enforcement": 2.6,
                     "technologies": 2.2, "notification": 2},
    "GRULAC": {"waste_management.plastic": 2.6, "waste_management.mercury": 2.6, "legal": 2.2,
               "emergency": 2, "coordination": 2},
    "EASTERN_EUROPE": {"waste_management.pops": 2.8, "legal": 2.4, "information": 2.2, "disposal": 2.2},
    "WEOG": {},
}
LEVELS = ["none", "low", "medium", "high"]


def _level(rng, group_code, theme_code, cycle_index):
    weights = REGIONAL_WEIGHTS.get(group_code, {})
    weight = next((w for prefix, w in weights.items() if theme_code.startswith(prefix)), 1.0)
    weight = max(0.0, weight - 0.25 * cycle_index)  # needs ease over the years
    score = weight + rng.gauss(0, 0.7)
    return LEVELS[max(0, min(3, round(score)))]


def _answer_for(question, spec, rng, *, themes, kinds, group_code, cycle_index):
    if question.type == QuestionType.THEME_MATRIX:
        rows = {}
        for code in question.themes or [t for t in themes if "." not in t]:
            level = _level(rng, group_code, code, cycle_index)
            chosen = rng.sample(kinds, k=rng.randint(1, 3)) if level != "none" else []
            rows[code] = {"level": level, "kinds": chosen, "comment": ""}
        return rows
    choices = [choice.value for choice in spec.choice_lists.get(question.choice_list, [])]
    if question.type == QuestionType.SELECT_ONE:
        return rng.choice(choices) if choices else ""
    if question.type == QuestionType.SELECT_MULTIPLE:
        plain = [c for c in choices if c not in ("other", "none")] or choices
        return rng.sample(plain, k=min(len(plain), rng.randint(1, 3))) if plain else []
    if question.type == QuestionType.YES_NO:
        return rng.choice(["yes", "yes", "no"])
    if question.type in (QuestionType.INTEGER, QuestionType.DECIMAL):
        low = int(question.min_value if question.min_value is not None else 0)
        high = int(question.max_value if question.max_value is not None else 50)
        return str(rng.randint(low, min(high, low + 40)))
    if question.type == QuestionType.DATE:
        return date(2019, rng.randint(1, 12), rng.randint(1, 28)).isoformat()
    if question.type == QuestionType.LONG_TEXT:
        return "Limited laboratory capacity and few trained inspectors at border points."
    if "mail" in question.code:
        return "focal.point@example.org"
    return "Ministry of Environment"


def _complete(spec, answers, *, allowed_kinds, allowed_themes):
    """Drop or fix generated answers until the response validates for submission."""
    for _round in range(4):
        result = validate_response(
            spec, answers, allowed_kinds=allowed_kinds, allowed_themes=allowed_themes, for_submission=True
        )
        if not result.problems:
            return answers
        for problem in result.problems:
            question = spec.question(problem.code)
            if question is not None and question.required and question.type == QuestionType.TEXT:
                answers[problem.code] = "See attached"
            else:
                answers.pop(problem.code, None)
    return answers


def _version():
    questionnaire = Questionnaire.objects.filter(code="basel-ta-needs").first()
    if questionnaire is None:
        return None
    return questionnaire.versions.filter(status=QuestionnaireVersion.Status.PUBLISHED).order_by("-number").first()


@transaction.atomic
def seed_cycles(*, scale=1, seed=2026):
    """Create the demo cycles and responses; returns the number of responses created."""
    version = _version()
    if version is None:
        return 0
    rng = random.Random(seed + 17)
    spec = version_spec(version)
    themes = list(Theme.objects.values_list("code", flat=True))
    kinds = list(KindOfHelp.objects.filter(parent__isnull=False).values_list("code", flat=True))
    allowed = {"allowed_kinds": set(KindOfHelp.objects.values_list("code", flat=True)), "allowed_themes": set(themes)}
    basel = Convention.objects.filter(code="basel")
    invited = list(cycle_services.default_invited_countries().select_related("regional_group").order_by("iso3"))
    reviewer = User.objects.filter(memberships__role=Role.SECRETARIAT).order_by("pk").first()
    created = 0
    years = [(title, year, status) for title, year, status in CYCLES]
    for copy in range(1, scale):  # benchmark scale: more past cycles
        years.insert(0, (f"Technical assistance needs assessment {2012 - 2 * copy} (benchmark)", 2012 - 2 * copy, Cycle.Status.PUBLISHED))
    for index, (title, year, final_status) in enumerate(years):
        cycle = Cycle.objects.filter(title=title).first()
        if cycle is not None:
            continue
        cycle = cycle_services.cycle_create(
            actor=None, title=title, version=version, period_start=date(year - 4, 1, 1), period_end=date(year - 1, 12, 31),
            opens_on=date(year, 3, 1), closes_on=date(year, 9, 30), conventions=basel, countries=invited,
            offers_survey=final_status == Cycle.Status.OPEN,
        )
        cycle.status = Cycle.Status.OPEN  # no invitation e-mails for history
        cycle.save(update_fields=["status"])
        for country in invited:
            roll = rng.random()
            responds = roll < (0.55 if final_status == Cycle.Status.OPEN else 0.8) or (
                final_status == Cycle.Status.OPEN and country.iso3 in SHOWCASE_DRAFTS
            )
            if not responds:
                continue
            response = response_services.response_start(actor=None, cycle=cycle, country=country)
            answers = {
                question.code: _answer_for(
                    question, spec, rng, themes=themes, kinds=kinds,
                    group_code=country.regional_group.code if country.regional_group else "", cycle_index=index,
                )
                for question in spec.questions()
            }
            answers = _complete(spec, answers, **allowed)
            response, _result = response_services.response_save(
                actor=None, response=response, answers=answers, lock_version=response.lock_version,
                confirm=list(response.prefilled),
            )
            created += 1
            if final_status == Cycle.Status.OPEN and (roll < 0.2 or country.iso3 in SHOWCASE_DRAFTS):
                continue  # still a draft
            response = response_services.response_submit(
                actor=None, response=response, lock_version=response.lock_version, notify=False
            )
            if final_status == Cycle.Status.OPEN and roll < 0.25:
                continue  # submitted, waiting for review
            if final_status == Cycle.Status.OPEN and roll < 0.3 and reviewer is not None:
                first = spec.questions()[0].code
                response_services.response_return(
                    actor=reviewer, response=response, queries=[(first, "Please confirm the institutions listed.")]
                )
                continue
            response_services.response_accept(actor=None, response=response)
        if final_status != Cycle.Status.OPEN:
            Cycle.objects.filter(pk=cycle.pk).update(status=final_status)
        else:
            _share_drafting(cycle)
            _answer_survey(cycle)
    return created


def _answer_survey(cycle):
    """Most providers asked in the open cycle's survey have answered: each of the first ones with
    its two most recent draft or published offers, one that it has no new offers."""
    from tahub.offers.models import Offer

    invitations = list(cycle.provider_invitations.select_related("organisation").order_by("organisation__name"))
    answered_at = timezone.make_aware(datetime.combine(cycle.opens_on + timedelta(days=30), time(10)))
    for position, invitation in enumerate(invitations):
        if position % 4 == 3:
            continue  # not answered yet
        recent = list(
            Offer.objects.filter(provider=invitation.organisation, status__in=["draft", "published"], survey_cycle=None)
            .order_by("-pk").values_list("pk", flat=True)[:2]
        )
        if position % 4 == 2 or not recent:
            invitation.no_new_offers = True
            invitation.comment = "Our programme for the next biennium is still being decided."
        else:
            Offer.objects.filter(pk__in=recent).update(survey_cycle=cycle)
        invitation.responded_at = answered_at
        invitation.save()


def _share_drafting(cycle):
    """Each demo contributor drafts the capacities and needs sections of their Party's open response."""
    for membership in Membership.objects.active().filter(role=Role.CONTRIBUTOR).select_related("user", "country"):
        if not cycle.invitations.filter(country=membership.country).exists():
            continue
        response = response_services.response_start(actor=None, cycle=cycle, country=membership.country)
        if response.is_editable:
            contributor_assign(actor=None, response=response, user=membership.user, sections=["capacities", "needs"])


def demo_counts():
    return {"cycles": Cycle.objects.count(), "responses": Response.objects.count()}
