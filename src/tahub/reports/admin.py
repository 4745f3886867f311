from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tahub.core.admin import ReadOnly
from tahub.reports.models import Rendering, SummarySettings


@admin.register(SummarySettings)
class SummarySettingsAdmin(SimpleHistoryAdmin):
    """The level weights of the summaries and the smallest public figure; stated on every summary."""

    fields = ("weight_high", "weight_medium", "weight_low", "public_minimum")
    list_display = ("__str__", "weight_high", "weight_medium", "weight_low", "public_minimum", "changed_at")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SummarySettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rendering)
class RenderingAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("kind", "subject", "cycle", "format", "language", "requested_by", "status", "progress", "requested_at")
    list_filter = ("status", "format", "language", "kind")
