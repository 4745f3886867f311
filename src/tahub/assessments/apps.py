from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "tahub.assessments"
    label = "assessments"
