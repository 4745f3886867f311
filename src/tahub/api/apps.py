from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tahub.api"
    label = "api"
