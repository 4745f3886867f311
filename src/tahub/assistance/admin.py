from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tahub.assistance.models import Request, RequestEvent, RequestMessage, ServiceLevel
from tahub.core.admin import ReadOnly


class EventInline(ReadOnly, admin.TabularInline):
    model = RequestEvent
    extra = 0
    fields = ("at", "kind", "from_status", "to_status", "actor", "comment")


class MessageInline(ReadOnly, admin.TabularInline):
    model = RequestMessage
    extra = 0
    fields = ("created_at", "author", "body")


@admin.register(Request)
class RequestAdmin(ReadOnly, SimpleHistoryAdmin):
    """A request's text never changes once filed, and its state only through its services: the
    admin shows requests, their timeline and conversation, read-only."""

    list_display = ("title", "country", "urgency", "status", "owner", "centre", "submitted_at", "due_at")
    list_filter = ("status", "urgency", "country__regional_group")
    search_fields = ("title", "country__name_en", "country__iso3")
    list_select_related = ("country", "owner", "centre")
    inlines = [EventInline, MessageInline]


@admin.register(ServiceLevel)
class ServiceLevelAdmin(SimpleHistoryAdmin):
    """The Secretariat sets how many working days a request may wait in each state."""

    list_display = ("urgency", "status", "working_days")
    list_editable = ("working_days",)
    list_filter = ("urgency",)
    fields = ("status", "urgency", "working_days")
