from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tahub.reports"
    label = "reports"
