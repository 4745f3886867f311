from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "tahub.assistance"
    label = "assistance"
