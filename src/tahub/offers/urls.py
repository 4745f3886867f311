from django.urls import path, re_path

from tahub.offers import views, views_manage

app_name = "offers"

urlpatterns = [
    # The public catalogue.
    path("", views.catalogue, name="catalogue"),
    re_path(r"^download\.(?P<fmt>csv|xlsx|json)$", views.catalogue_download, name="catalogue_download"),
    path("<int:pk>/", views.offer_detail, name="offer_detail"),
    path("providers/", views.provider_list, name="provider_list"),
    path("providers/<int:pk>/", views.provider_detail, name="provider_detail"),
    # Managing offers: providers (their organisation's) and the Secretariat (all).
    path("mine/", views_manage.my_offers, name="my_offers"),
    path("new/", views_manage.offer_create, name="offer_create"),
    path("<int:pk>/edit/", views_manage.offer_edit, name="offer_edit"),
    path("<int:pk>/action/", views_manage.offer_action, name="offer_action"),
    path("<int:pk>/attachments/", views_manage.offer_attach, name="offer_attach"),
    path("attachments/<int:pk>/", views_manage.attachment_download, name="attachment_download"),
    # Answering a needs-assessment cycle's available-assistance survey.
    path("survey/<int:pk>/", views_manage.survey_answer, name="survey_answer"),
]
