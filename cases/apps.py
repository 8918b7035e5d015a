from django.apps import AppConfig
from django.core import checks


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "ポイント集（確認ポイント・事例）"

    def ready(self) -> None:
        from cases.checks import stored_dates_out_of_range

        checks.register(stored_dates_out_of_range)
