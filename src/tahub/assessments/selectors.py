"""Reads of questionnaire definitions."""

from django.db.models import Prefetch

from tahub.assessments.models import Choice, ChoiceList, Question, QuestionnaireVersion, Section
from tahub.assessments.permissions import version_policy
from tahub.assessments.spec import (
    ChoiceSpec,
    QuestionnaireSpec,
    QuestionSpec,
    QuestionType,
    SectionSpec,
)


def version_list_for(actor):
    return version_policy.visible_to(actor).order_by("questionnaire__code", "-number")


def version_get_for(actor, pk):
    return version_policy.get_for(actor, pk=pk)


def _optional_float(value):
    return None if value is None else float(value)


def version_spec(version):
    """The version as plain data (``spec.QuestionnaireSpec``), in three queries."""
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
