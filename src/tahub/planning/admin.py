from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tahub.core.admin import ReadOnly
from tahub.planning.models import (
    Activity,
    ActivityReport,
    Decision,
    Evaluation,
    Meeting,
    Paragraph,
    Plan,
    Programme,
)


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    extra = 0
    fields = ("number", "order", "verb", "addressee", "asks_action", "due_by", "illustrative", "text")


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "starts_on", "ends_on", "place")
    list_filter = ("convention",)


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    """Decisions and their paragraphs: corrections of wording, addressee and dates."""

    list_display = ("symbol", "title", "meeting")
    search_fields = ("symbol", "title")
    inlines = [ParagraphInline]


@admin.register(Plan)
class PlanAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("title", "start_year", "end_year", "status", "adopted_by")


@admin.register(Programme)
class ProgrammeAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("title", "start_year", "status", "plan")


@admin.register(Activity)
class ActivityAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("code", "title", "programme", "type", "lead", "status", "planned_start", "planned_end")
    list_filter = ("programme", "status", "type", "lead")
    search_fields = ("code", "title")


@admin.register(ActivityReport)
class ActivityReportAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("activity", "status", "submitted_at", "reviewed_at")
    list_filter = ("status",)


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("activity", "country", "due_on", "sent_at", "answered_at", "outcome")
    list_filter = ("outcome",)
