from django.urls import path

from tahub.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("open-data/", views.open_data, name="open_data"),
    path("cycles/<int:pk>/", views.summary, name="summary"),
    path("cycles/<int:pk>/summary.<str:fmt>", views.summary_download, name="summary_download"),
    path("cycles/<int:pk>/tables/<slug:key>.csv", views.table_download, {"fmt": "csv"}, name="table_csv"),
    path("cycles/<int:pk>/tables/<slug:key>.json", views.table_download, {"fmt": "json"}, name="table_json"),
    path("cycles/<int:pk>/charts/<slug:key>.svg", views.chart, name="chart"),
    path("cycles/<int:pk>/figures/<slug:table>/<str:row>/<slug:column>/", views.figure_records, name="figure_records"),
    path("cycles/<int:pk>/render/", views.render_request, name="render"),
    path("renderings/<str:token>/", views.rendering, name="rendering"),
    path("renderings/<str:token>/download/", views.rendering_download, name="rendering_download"),
    path("parties/<str:iso3>/", views.party, name="party"),
    path("parties/<str:iso3>/report.<str:fmt>", views.party_download, name="party_download"),
]
