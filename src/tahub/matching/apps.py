from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "tahub.matching"
    label = "matching"

    def ready(self):
        from tahub.matching import hooks

        hooks.connect()
