from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "tahub.portal"
    label = "portal"
