from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tahub.core"
    label = "core"
