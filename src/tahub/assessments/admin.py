from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from tahub.assessments.models import (
    Cycle,
    Need,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Section,
)
from tahub.assessments.services.questionnaires import (
    questionnaire_version_copy,
    questionnaire_version_publish,
)
from tahub.core.admin import ReadOnly


class FrozenWhenPublished:
    """Inlines of a published version are read-only: a change means a new version."""

    def _frozen(self, obj):
        return obj is not None and obj.is_frozen

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class SectionInline(FrozenWhenPublished, admin.TabularInline):
    model = Section
    extra = 0
    fields = ("order", "code", "labels", "relevant")


class QuestionInline(FrozenWhenPublished, admin.TabularInline):
    model = Question
    extra = 0
    fields = ("order", "section", "code", "type", "labels", "required", "relevant", "constraint", "choice_list")


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ("code", "__str__", "purpose")
    search_fields = ("code",)


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "status", "created_at", "published_at")
    list_filter = ("status", "questionnaire")
    search_fields = ("questionnaire__code", "name")
    readonly_fields = ("status", "published_at", "published_by", "copied_from", "created_at")
    inlines = [SectionInline, QuestionInline]
    actions = ["publish", "copy"]

    def has_change_permission(self, request, obj=None):
        return not (obj is not None and obj.is_frozen) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and obj.is_frozen) and super().has_delete_permission(request, obj)

    @admin.action(description=_("Publish (freeze) the selected versions"))
    def publish(self, request, queryset):
        for version in queryset:
            try:
                questionnaire_version_publish(actor=request.user, version=version)
            except ValidationError as exc:
                messages.error(request, f"{version}: {' '.join(exc.messages)}")

    @admin.action(description=_("Copy into a new draft version"))
    def copy(self, request, queryset):
        for version in queryset:
            questionnaire_version_copy(actor=request.user, version=version)


@admin.register(Cycle)
class CycleAdmin(ReadOnly, SimpleHistoryAdmin):
    """Cycles are run from their pages; the admin shows them read-only, with their history."""

    list_display = ("title", "status", "opens_on", "closes_on", "version")
    list_filter = ("status",)
    search_fields = ("title",)


@admin.register(Response)
class ResponseAdmin(ReadOnly, SimpleHistoryAdmin):
    """Responses change only through their services (drafts by the Party, review by the Secretariat)."""

    list_display = ("country", "cycle", "number", "status", "updated_at")
    list_filter = ("status", "cycle")
    search_fields = ("country__name_en", "country__iso3")
    list_select_related = ("country", "cycle")


@admin.register(Need)
class NeedAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ("country", "theme", "status", "proposed_status")
    list_filter = ("status", "proposed_status", "theme")
    search_fields = ("country__name_en", "country__iso3", "theme__code")
    list_select_related = ("country", "theme")
