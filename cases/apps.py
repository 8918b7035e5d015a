from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "ポイント集（確認ポイント・事例）"
