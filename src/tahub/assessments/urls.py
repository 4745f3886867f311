from django.urls import path

from tahub.assessments import views, views_history, views_needs, views_offline, views_questionnaires

app_name = "assessments"

urlpatterns = [
    path("cycles/", views.cycle_list, name="cycle_list"),
    path("cycles/new/", views.cycle_create, name="cycle_create"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/action/", views.cycle_action, name="cycle_action"),
    path("cycles/<int:pk>/invitations/<int:invitation_pk>/extend/", views.invitation_extend, name="invitation_extend"),
    path("cycles/<int:pk>/respond/<str:iso3>/", views.response_open, name="response_open"),
    path("responses/<int:pk>/", views.response_detail, name="response_detail"),
    path("responses/<int:pk>/sections/<slug:section>/", views.response_section, name="response_section"),
    path("responses/<int:pk>/submit/", views.response_submit, name="response_submit"),
    path("responses/<int:pk>/print/", views.response_print, name="response_print"),
    path("responses/<int:pk>/history/", views_history.response_history, name="response_history"),
    path("responses/<int:pk>/review/", views.response_review, name="response_review"),
    path("responses/<int:pk>/contributors/", views.response_contributors, name="response_contributors"),
    path("needs/", views_needs.need_list, name="need_list"),
    path("needs/new/", views_needs.need_record, name="need_record"),
    path("needs/<int:pk>/", views_needs.need_detail, name="need_detail"),
    path("needs/<int:pk>/status/", views_needs.need_status, name="need_status"),
    path("responses/<int:pk>/workbook/", views_offline.response_workbook_view, name="response_workbook"),
    path("questionnaires/", views_questionnaires.questionnaire_list, name="questionnaire_list"),
    path("questionnaires/import/", views_questionnaires.questionnaire_import, name="questionnaire_import"),
    path("questionnaires/<int:pk>/xlsform/", views_questionnaires.questionnaire_xlsform, name="questionnaire_xlsform"),
    path("questionnaires/<int:pk>/replace/", views_questionnaires.questionnaire_replace, name="questionnaire_replace"),
    path("questionnaires/<int:pk>/action/", views_questionnaires.questionnaire_action, name="questionnaire_action"),
]
