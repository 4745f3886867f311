from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from tahub.api.api import api
from tahub.core import views as core_views

admin.site.site_header = "tahub administration"
admin.site.site_title = "tahub"

urlpatterns = [
    path("", include("tahub.portal.urls")),
    path("account/", include("tahub.accounts.urls")),
    path("assessments/", include("tahub.assessments.urls")),
    path("offers/", include("tahub.offers.urls")),
    path("requests/", include("tahub.assistance.urls")),
    path("matches/", include("tahub.matching.urls")),
    path("reports/", include("tahub.reports.urls")),
    path("planning/", include("tahub.planning.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("healthz", core_views.healthz, name="healthz"),
]

handler403 = "tahub.core.views.permission_denied"
handler404 = "tahub.core.views.page_not_found"
handler500 = "tahub.core.views.server_error"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
