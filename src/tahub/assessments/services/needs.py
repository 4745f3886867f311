"""Writes to needs: derived from accepted responses, or recorded from other sources."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tahub.assessments.models import Need, NeedObservation
from tahub.assessments.permissions import need_policy
from tahub.assessments.selectors import version_spec
from tahub.assessments.spec import QuestionType
from tahub.core.audit import audited
from tahub.reference.models import KindOfHelp, Theme

REPORTED_LEVELS = {NeedObservation.Level.LOW, NeedObservation.Level.MEDIUM, NeedObservation.Level.HIGH}




def _matrix_rows(response):
    """``(theme_code, row)`` for every theme-matrix answer of the response."""
    for question in version_spec(response.cycle.version).questions():
        if question.type == QuestionType.THEME_MATRIX:
            for theme_code, row in (response.answers.get(question.code) or {}).items():
                if isinstance(row, dict):
                    yield theme_code, row


@transaction.atomic
def needs_record_from_response(*, actor, response):
    """Each theme rated low/medium/high becomes (or updates) the Party's need for that theme.

    A need rated "none" in this cycle is proposed as met, for the Secretariat to confirm.
    Reads the Party's needs once and writes observations in bulk: accepting a response costs
    a handful of queries, whatever the number of themes.
    """
    themes = {theme.code: theme for theme in Theme.objects.all()}
    kinds = {kind.code: kind.pk for kind in KindOfHelp.objects.all()}
    needs = {need.theme_id: need for need in Need.objects.filter(country=response.country)}
    # Dated within the cycle it answers: a late submission or an amendment accepted years later
    # still describes that cycle, and the history must keep the cycles in their order.
    observed_on = min((response.submitted_at or timezone.now()).date(), response.cycle.closes_on)
    recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    observations = []
    for theme_code, row in _matrix_rows(response):
        theme = themes.get(theme_code)
        level = row.get("level") or NeedObservation.Level.NONE
        if theme is None or level not in NeedObservation.Level.values:
            continue
        need = needs.get(theme.pk)
        if level in REPORTED_LEVELS:
            if need is None:
                need = audited(Need(country=response.country, theme=theme), actor)
                need.save()
                needs[theme.pk] = need
            elif need.status in (Need.Status.MET, Need.Status.WITHDRAWN) or need.proposed_status:
                if need.status in (Need.Status.MET, Need.Status.WITHDRAWN):
                    need.status = Need.Status.OPEN
                need.proposed_status = ""
                audited(need, actor).save()
        elif need is None:
            continue
        elif need.status in (Need.Status.OPEN, Need.Status.PARTLY_MET) and need.proposed_status != Need.Status.MET:
            need.proposed_status = Need.Status.MET
            audited(need, actor).save()
        observations.append((
            NeedObservation(
                need=need, cycle=response.cycle, response=response, level=level,
                comment=str(row.get("comment") or "")[:10000], observed_on=observed_on,
                source=Need.Source.ASSESSMENT, recorded_by=recorded_by,
            ),
            [kinds[code] for code in row.get("kinds") or [] if code in kinds],
        ))
    # An amended response replaces what its cycle said before.
    NeedObservation.objects.filter(cycle=response.cycle, need__country=response.country).delete()
    created = NeedObservation.objects.bulk_create([observation for observation, _kinds in observations])
    through = NeedObservation.kinds.through
    through.objects.bulk_create(
        through(needobservation_id=observation.pk, kindofhelp_id=kind_id)
        for observation, (_unused, kind_ids) in zip(created, observations, strict=True)
        for kind_id in kind_ids
    )


@transaction.atomic
def need_record(*, actor, country, theme, level, kinds=(), comment="", source, source_reference=""):
    """Record a need from another source (a request, a national report, a COP decision, a meeting)."""
    if actor is not None and not need_policy.can(actor, "record"):
        raise PermissionDenied
    if level not in REPORTED_LEVELS:
        raise ValidationError({"level": _("A recorded need is low, medium or high.")})
    if source == Need.Source.ASSESSMENT:
        raise ValidationError({"source": _("Needs from assessments come from accepted responses.")})
    need, created = Need.objects.get_or_create(
        country=country, theme=theme, defaults={"source": source, "source_reference": source_reference}
    )
    audited(need, actor).save()
    observation = NeedObservation.objects.create(
        need=need, level=level, comment=comment, source=source, source_reference=source_reference,
        observed_on=timezone.localdate(), recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    observation.kinds.set(kinds)
    return need


@transaction.atomic
def need_set_status(*, actor, need, status):
    if actor is not None and not need_policy.can(actor, "set_status"):
        raise PermissionDenied
    need.status = Need.Status(status)
    need.proposed_status = ""
    audited(need, actor).save()
    return need
