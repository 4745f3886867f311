from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "tahub.offers"
    label = "offers"
