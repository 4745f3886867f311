from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tahub.accounts"
    label = "accounts"
