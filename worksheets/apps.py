from django.apps import AppConfig


class WorksheetsConfig(AppConfig):
    name = "worksheets"
    verbose_name = "共創プロジェクト・ワークシート"

    def ready(self) -> None:
        from django.core import checks

        from worksheets.checks import pdf_requirements
        from worksheets.members import login  # noqa: F401  (connects the throttle's signals)

        # The handover PDF needs a Japanese font and fast font subsetting on this machine.
        checks.register(pdf_requirements)
