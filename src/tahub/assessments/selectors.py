"""Reads of the assessments app: questionnaires, cycles and their tracking, responses, needs."""

from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tahub.accounts.actors import is_secretariat, scope_ids
from tahub.accounts.models import User
from tahub.accounts.roles import Role
from tahub.assessments.models import (
    Choice,
    ChoiceList,
    Invitation,
    Need,
    NeedObservation,
    ProviderInvitation,
    Question,
    QuestionnaireVersion,
    Response,
    Section,
    SectionAssignment,
)
from tahub.assessments.permissions import cycle_policy, need_policy, response_policy, version_policy
from tahub.assessments.spec import (
    ChoiceSpec,
    QuestionnaireSpec,
    QuestionSpec,
    QuestionType,
    SectionSpec,
)
from tahub.reference.models import Country


def version_list_for(actor):
    return version_policy.visible_to(actor).order_by("questionnaire__code", "-number")


def version_get_for(actor, pk):
    return version_policy.get_for(actor, pk=pk)


def version_overview_for(actor):
    """The versions ``actor`` sees, each with the number of cycles using it, in one query."""
    return version_list_for(actor).select_related("copied_from").annotate(cycle_count=Count("cycles"))


def _optional_float(value):
    return None if value is None else float(value)


_frozen_specs = {}


def version_spec(version):
    """The version as plain data (``spec.QuestionnaireSpec``), in a few queries.

    A published version never changes, so its spec is kept in memory once read, keyed by id
    and publication time (ids may be reused when a database is rolled back).
    """
    published_at = (
        QuestionnaireVersion.objects.filter(pk=version.pk, status=QuestionnaireVersion.Status.PUBLISHED)
        .values_list("published_at", flat=True)
        .first()
    )
    key = (version.pk, published_at)
    if published_at is not None and key in _frozen_specs:
        return _frozen_specs[key]
    spec = _read_spec(version)
    if published_at is not None:
        _frozen_specs[key] = spec
    return spec


def _read_spec(version):
    version = (
        QuestionnaireVersion.objects.filter(pk=version.pk)
        .prefetch_related(
            Prefetch("sections", queryset=Section.objects.order_by("order")),
            Prefetch("questions", queryset=Question.objects.select_related("choice_list").order_by("order")),
            Prefetch("choice_lists", queryset=ChoiceList.objects.prefetch_related(
                Prefetch("choices", queryset=Choice.objects.order_by("order"))
            )),
        )
        .get()
    )
    sections = {section.pk: SectionSpec(section.code, dict(section.labels), [], section.relevant) for section in version.sections.all()}
    for question in version.questions.all():
        sections[question.section_id].questions.append(
            QuestionSpec(
                code=question.code,
                type=QuestionType(question.type),
                labels=dict(question.labels),
                hints=dict(question.hints),
                required=question.required,
                relevant=question.relevant,
                constraint=question.constraint,
                constraint_messages=dict(question.constraint_messages),
                choice_list=question.choice_list.name if question.choice_list else "",
                themes=list(question.themes),
                min_value=_optional_float(question.min_value),
                max_value=_optional_float(question.max_value),
                max_length=question.max_length,
            )
        )
    choice_lists = {
        choice_list.name: [ChoiceSpec(choice.value, dict(choice.labels)) for choice in choice_list.choices.all()]
        for choice_list in version.choice_lists.all()
    }
    return QuestionnaireSpec(sections=list(sections.values()), choice_lists=choice_lists)


# --- cycles, responses, needs ---------------------------------------------------------------


NOT_STARTED = "not_started"
TRACKING_STATES = [NOT_STARTED, *Response.Status.values]


def cycle_list_for(actor):
    return (
        cycle_policy.visible_to(actor)
        .annotate(invited=Count("invitations", distinct=True))
        .prefetch_related("conventions")
        .order_by("-opens_on")
    )


def cycle_get_for(actor, pk):
    return cycle_policy.get_for(actor, pk=pk)


def cycle_tracking(cycle, *, today=None):
    """Where each invited Party stands, and the same aggregated by regional group.

    Two queries whatever the number of Parties: the invitations annotated with their current
    response's status, and the counts per group and status done by the database.
    """
    today = today or timezone.localdate()
    current = Response.objects.current().filter(cycle=cycle, country=OuterRef("country"))
    invitations = (
        Invitation.objects.filter(cycle=cycle)
        .select_related("country__regional_group", "cycle")
        .annotate(response_status=Subquery(current.values("status")[:1]), response_id=Subquery(current.values("pk")[:1]))
        .order_by("country__name_en")
    )
    rows = [
        {
            "invitation": invitation,
            "country": invitation.country,
            "state": invitation.response_status or NOT_STARTED,
            "state_label": Response.Status(invitation.response_status).label if invitation.response_status else _("Not started"),
            "response_id": invitation.response_id,
            "days_left": (invitation.effective_deadline - today).days,
        }
        for invitation in invitations
    ]
    by_group = (
        Invitation.objects.filter(cycle=cycle)
        .annotate(response_status=Subquery(current.values("status")[:1]))
        .values("country__regional_group__code", "country__regional_group__name_en")
        .annotate(
            invited=Count("pk"),
            **{
                state: Count("pk", filter=Q(response_status=state) if state != NOT_STARTED else Q(response_status__isnull=True))
                for state in TRACKING_STATES
            },
        )
        .order_by("country__regional_group__code")
    )
    groups = list(by_group)
    totals = {state: sum(group[state] for group in groups) for state in TRACKING_STATES}
    totals["invited"] = sum(group["invited"] for group in groups)
    responded = totals[Response.Status.SUBMITTED] + totals[Response.Status.ACCEPTED] + totals[Response.Status.RETURNED]
    for group in groups:
        answered = group[Response.Status.SUBMITTED] + group[Response.Status.ACCEPTED] + group[Response.Status.RETURNED]
        group["rate"] = round(100 * answered / group["invited"]) if group["invited"] else 0
    return {
        "rows": rows,
        "groups": groups,
        "totals": totals,
        "rate": round(100 * responded / totals["invited"]) if totals["invited"] else 0,
        "days_left": (cycle.closes_on - today).days,
    }


def survey_tracking(cycle):
    """Who the cycle's available-assistance survey asked and what each answered, in one query:
    offers reported (withdrawn ones not counted), no new offers, or no answer yet."""
    reported = Q(organisation__offers__survey_cycle=cycle) & ~Q(organisation__offers__status="withdrawn")
    rows = list(
        ProviderInvitation.objects.filter(cycle=cycle)
        .select_related("organisation__country")
        .annotate(offers_reported=Count("organisation__offers", filter=reported))
        .order_by("organisation__name")
    )
    with_offers = sum(1 for row in rows if row.offers_reported)
    no_new = sum(1 for row in rows if row.no_new_offers and not row.offers_reported)
    return {
        "rows": rows,
        "invited": len(rows),
        "with_offers": with_offers,
        "no_new_offers": no_new,
        "waiting": len(rows) - with_offers - no_new,
        "offers": sum(row.offers_reported for row in rows),
        "rate": round(100 * (with_offers + no_new) / len(rows)) if rows else 0,
    }


def survey_invitations_of(actor):
    """The open surveys asking the organisations ``actor`` answers for (as a provider), each with
    the number of offers reported so far; one query."""
    organisations = scope_ids(actor, Role.PROVIDER, "organisation")
    if not organisations:
        return ProviderInvitation.objects.none()
    reported = Q(organisation__offers__survey_cycle=models.F("cycle")) & ~Q(organisation__offers__status="withdrawn")
    return (
        ProviderInvitation.objects.filter(
            organisation__in=organisations, cycle__status="open", cycle__offers_survey=True
        )
        .select_related("cycle", "organisation")
        .annotate(offers_reported=Count("organisation__offers", filter=reported))
        .order_by("cycle__closes_on", "organisation__name")
    )


def survey_invitation_get_for(actor, pk):
    """A survey invitation of an organisation ``actor`` answers for (or, for the Secretariat, any),
    else 404: whether it exists is not disclosed."""
    invitations = ProviderInvitation.objects.select_related("cycle", "organisation")
    if not is_secretariat(actor):
        invitations = invitations.filter(organisation__in=scope_ids(actor, Role.PROVIDER, "organisation"))
    try:
        return invitations.get(pk=pk)
    except ProviderInvitation.DoesNotExist as exc:
        raise Http404 from exc


def response_list_for(actor, *, cycle=None, country=""):
    responses = response_policy.visible_to(actor).current()
    if cycle is not None:
        responses = responses.filter(cycle=cycle)
    if country:
        responses = responses.filter(country__iso3=country.upper())
    return responses.order_by("country__name_en")


def response_get_for(actor, pk):
    return response_policy.get_for(actor, pk=pk)


def _observations_in_order():
    """Each need's observations (its history across cycles) with their cycle and kinds of help."""
    return Prefetch(
        "observations",
        queryset=NeedObservation.objects.select_related("cycle").prefetch_related("kinds").order_by("observed_on"),
    )


class PartyGroup(models.TextChoices):
    """Groups of Parties the needs can be filtered by: a classification, or the LDC and SIDS lists."""

    DEVELOPING = "developing", gettext_lazy("Developing countries")
    TRANSITION = "transition", gettext_lazy("Economies in transition")
    LDC = "ldc", gettext_lazy("Least developed countries")
    SIDS = "sids", gettext_lazy("Small island developing States")


def party_group_filter(group, path="country"):
    """The Parties of a ``PartyGroup``, as a filter on ``path`` (a foreign key to Country)."""
    field, value = {
        PartyGroup.DEVELOPING: ("classification", Country.Classification.DEVELOPING),
        PartyGroup.TRANSITION: ("classification", Country.Classification.TRANSITION),
        PartyGroup.LDC: ("ldc", True),
        PartyGroup.SIDS: ("sids", True),
    }[PartyGroup(group)]
    return Q(**{f"{path}__{field}": value})


def need_list_for(
    actor, *, theme="", level="", country="", regional_group="", classification="", status="", cycle=None, kind="",
    with_history=False,
):
    """Needs visible to ``actor``; ``theme`` and ``kind`` given as a top-level code include their children.

    ``cycle`` and ``kind`` match any observation of the need; ``level`` is that of the latest one.
    """
    needs = need_policy.visible_to(actor).select_related("country__regional_group", "theme")
    latest = NeedObservation.objects.filter(need=OuterRef("pk")).order_by("-observed_on", "-pk")
    needs = needs.annotate(latest_level=Subquery(latest.values("level")[:1]))
    if theme:
        needs = needs.filter(Q(theme__code=theme) | Q(theme__parent__code=theme))
    if level:
        needs = needs.filter(latest_level=level)
    if country:
        needs = needs.filter(country__iso3=country)
    if regional_group:
        needs = needs.filter(country__regional_group__code=regional_group)
    if classification:
        needs = needs.filter(party_group_filter(classification))
    if status:
        needs = needs.filter(status=status)
    if cycle is not None:
        needs = needs.filter(observations__cycle=cycle).distinct()
    if kind:
        needs = needs.filter(Q(observations__kinds__code=kind) | Q(observations__kinds__parent__code=kind)).distinct()
    if with_history:
        needs = needs.prefetch_related(_observations_in_order())
    return needs.order_by("country__name_en", "theme__order")


def need_get_for(actor, pk):
    """One need visible to ``actor`` with its whole history, or 404."""
    history = (
        NeedObservation.objects.select_related("cycle", "recorded_by")
        .prefetch_related(Prefetch("kinds", to_attr="kind_list"))
        .order_by("observed_on", "pk")
    )
    needs = need_policy.visible_to(actor).select_related("theme__parent").prefetch_related(
        Prefetch("observations", queryset=history, to_attr="observation_list")
    )
    return need_policy.get_for(actor, needs, pk=pk)


def need_party_choices_for(actor):
    """The Parties whose needs ``actor`` sees: the choices of the Party filter."""
    return Country.objects.filter(pk__in=need_policy.visible_to(actor).values("country")).order_by_name()


def needs_of_country_for(actor, country):
    """A Party's needs with every observation (history across cycles), or None when not allowed."""
    needs = need_policy.visible_to(actor).filter(country=country).select_related("theme")
    # Plain lists (``to_attr``): the page walks them without building a queryset per need.
    return needs.prefetch_related(
        Prefetch(
            "observations",
            queryset=NeedObservation.objects.select_related("cycle")
            .prefetch_related(Prefetch("kinds", to_attr="kind_list"))
            .order_by("observed_on"),
            to_attr="observation_list",
        )
    ).order_by("theme__order")


def need_counts_of_country(country):
    """Aggregated figures the public may see: open needs per level of the latest observation."""
    latest = NeedObservation.objects.filter(need=OuterRef("pk")).order_by("-observed_on", "-pk")
    return dict(
        Need.objects.filter(country=country, status__in=[Need.Status.OPEN, Need.Status.PARTLY_MET])
        .annotate(level=Subquery(latest.values("level")[:1]))
        .values_list("level")
        .annotate(count=Count("pk"))
        .values_list("level", "count")
    )



def contributors_of(response):
    """The Party's contributors, each with the sections assigned to them in the response's cycle."""
    assigned = dict(
        SectionAssignment.objects.filter(cycle_id=response.cycle_id, country_id=response.country_id)
        .values_list("user_id", "sections")
    )
    people = User.objects.filter(
        is_active=True, memberships__role=Role.CONTRIBUTOR, memberships__country_id=response.country_id,
        memberships__is_active=True,
    ).distinct().order_by("full_name")
    return [(person, assigned.get(person.pk, [])) for person in people]
