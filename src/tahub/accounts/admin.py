from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from tahub.accounts.models import ApiToken, Membership, Organisation, User
from tahub.accounts.services import api_token_revoke


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("regional_group", "centre", "country", "organisation")
    fields = ("role", "regional_group", "centre", "country", "organisation", "is_active")


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    ordering = ("email",)
    list_display = ("email", "full_name", "organisation", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "memberships__role", "organisation__type")
    search_fields = ("email", "full_name", "organisation__name")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "job_title", "organisation", "preferred_language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "acronym", "type", "country", "is_active")
    list_filter = ("type", "is_active")
    search_fields = ("name", "acronym")
    autocomplete_fields = ("country", "centre")
    list_select_related = ("country",)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "regional_group", "centre", "country", "organisation", "is_active")
    list_filter = ("role", "is_active", "regional_group")
    search_fields = ("user__email", "user__full_name", "country__name_en", "centre__acronym", "organisation__name")
    autocomplete_fields = ("user", "regional_group", "centre", "country", "organisation")
    list_select_related = ("user", "regional_group", "centre", "country", "organisation")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__email")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    actions = ["revoke"]
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        # Tokens are personal: staff may revoke any, as their holder's stand-in.
        for token in queryset.select_related("user"):
            api_token_revoke(actor=token.user, token=token)
        messages.success(request, _("Tokens revoked."))
