from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "tahub.planning"
    label = "planning"
