from django.urls import path

from tahub.matching import views

app_name = "matching"

urlpatterns = [
    path("", views.match_list, name="match_list"),
    path("<int:pk>/", views.match_detail, name="match_detail"),
    path("<int:pk>/action/", views.match_action, name="match_action"),
    path("<int:pk>/answer/", views.match_answer, name="match_answer"),
    path("add/<str:kind>/<int:pk>/", views.match_add, name="match_add"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/unsubscribe/<str:token>/", views.alert_unsubscribe, name="alert_unsubscribe"),
]
