from django.urls import path

from tahub.planning import views

app_name = "planning"

urlpatterns = [
    path("", views.index, name="index"),
    path("decisions/", views.decision_list, name="decisions"),
    path("decisions/new/", views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/paragraphs/", views.paragraph_create, name="paragraph_create"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/areas/new/", views.area_create, name="area_create"),
    path("plans/<int:pk>/<slug:action>/", views.plan_action, name="plan_action"),
    path("areas/<int:pk>/results/", views.result_create, name="result_create"),
    path("programmes/", views.programme_list, name="programmes"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/publish/", views.programme_publish, name="programme_publish"),
    path("programmes/<int:pk>/timeline/", views.programme_timeline, name="timeline"),
    path("programmes/<int:pk>/report/", views.programme_report, name="report"),
    path("programmes/<int:pk>/report.<str:fmt>", views.programme_report, name="report_download"),
    path("programmes/<int:pk>/iati.xml", views.programme_iati, name="iati"),
    path("programmes/<int:pk>/activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/status/", views.activity_status, name="activity_status"),
    path("activities/<int:pk>/budget/", views.activity_budget, name="activity_budget"),
    path("activities/<int:pk>/budget/<int:line>/remove/", views.budget_line_remove, name="budget_line_remove"),
    path("activities/<int:pk>/partners/", views.partner_add, name="partner_add"),
    path("activities/<int:pk>/partners/<int:partner>/remove/", views.partner_remove, name="partner_remove"),
    path("activities/<int:pk>/reports/new/", views.report_create, name="report_create"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/<slug:action>/", views.report_review, name="report_review"),
    path("evaluations/<int:pk>/", views.evaluation, name="evaluation"),
    path("centres/<slug:slug>/", views.centre, name="centre"),
    path("regions/<str:code>/", views.region, name="region"),
]
