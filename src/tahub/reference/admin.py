from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tahub.reference.models import (
    Convention,
    Country,
    KindOfHelp,
    RegionalCentre,
    RegionalGroup,
    Theme,
)

SIX_NAMES = ("name_en", "name_fr", "name_es", "name_ru", "name_ar", "name_zh")
SIX_LABELS = ("label_en", "label_fr", "label_es", "label_ru", "label_ar", "label_zh")


@admin.register(Country)
class CountryAdmin(SimpleHistoryAdmin):
    list_display = ("iso3", "name_en", "regional_group", "classification", "basel_party", "ldc", "sids", "landlocked")
    list_filter = ("regional_group", "classification", "basel_party", "kind", "ldc", "sids", "landlocked", "m49_region")
    search_fields = ("iso3", "iso2", *SIX_NAMES)
    list_select_related = ("regional_group",)


@admin.register(RegionalCentre)
class RegionalCentreAdmin(SimpleHistoryAdmin):
    list_display = ("acronym", "host_country", "city", "status", "is_coordinating_centre", "also_stockholm_centre")
    list_filter = ("status", "is_coordinating_centre", "also_stockholm_centre")
    search_fields = ("acronym", "name", "city", "host_country__name_en")
    filter_horizontal = ("countries_served",)
    prepopulated_fields = {"slug": ("acronym",)}
    list_select_related = ("host_country",)


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ("code", "label_en", "parent", "article_16_area", "order")
    list_filter = ("article_16_area", "parent")
    search_fields = ("code", *SIX_LABELS)
    list_select_related = ("parent",)


@admin.register(KindOfHelp)
class KindOfHelpAdmin(SimpleHistoryAdmin):
    list_display = ("code", "label_en", "parent", "order")
    list_filter = ("parent",)
    search_fields = ("code", *SIX_LABELS)
    list_select_related = ("parent",)


@admin.register(RegionalGroup, Convention)
class NamedCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "order")
    search_fields = ("code", *SIX_NAMES)
