from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from tahub.core.admin import ReadOnly
from tahub.matching.models import AlertSubscription, ConveyedMessage, Match, Weights
from tahub.matching.services import weights_update


class MessageInline(ReadOnly, admin.TabularInline):
    model = ConveyedMessage
    extra = 0
    fields = ("sent_at", "side", "email", "language", "subject", "sent_by")


@admin.register(Match)
class MatchAdmin(ReadOnly, SimpleHistoryAdmin):
    """Matches change only through their pages and services: shown read-only, with what was sent."""

    list_display = ("offer", "need", "request", "country", "score", "status", "origin", "conveyed_at")
    list_filter = ("status", "origin", "provider_answer", "party_answer")
    search_fields = ("offer__title", "country__name_en", "request__title")
    list_select_related = ("offer", "need__theme", "need__country", "request", "country")
    inlines = [MessageInline]


@admin.register(Weights)
class WeightsAdmin(SimpleHistoryAdmin):
    """The one place where the Secretariat tunes the scoring; saving rescores everything."""

    fields = ("theme", "kinds", "level", "language", "modality", "timing", "capacity", "text", "threshold", "per_subject")
    list_display = ("__str__", "threshold", "per_subject", "changed_at")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Weights.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            weights_update(actor=request.user, weights=obj)


@admin.register(AlertSubscription)
class AlertAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("user", "kind", "frequency", "is_active", "last_sent_at")
    list_filter = ("kind", "frequency", "is_active")
