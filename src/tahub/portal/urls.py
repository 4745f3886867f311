from django.urls import path

from tahub.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("parties/", views.party_list, name="party_list"),
    path("parties/<str:iso3>/", views.party_detail, name="party_detail"),
    path("centres/", views.centre_list, name="centre_list"),
    path("centres/<slug:slug>/", views.centre_detail, name="centre_detail"),
    path("themes/", views.theme_list, name="theme_list"),
]
