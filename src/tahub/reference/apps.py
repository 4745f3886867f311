from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "tahub.reference"
    label = "reference"
