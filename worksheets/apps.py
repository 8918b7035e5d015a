from django.apps import AppConfig


class WorksheetsConfig(AppConfig):
    name = "worksheets"
    verbose_name = "共創プロジェクト・ワークシート"

    def ready(self) -> None:
        from django.core import checks

        from worksheets.checks import pdf_requirements, presence_store
        from worksheets.members import login  # noqa: F401  (connects the throttle's signals)

        # The handover PDF needs a Japanese font and fast font subsetting on this machine. The
        # check loads Pango and HarfBuzz (about half a second), so it runs with `check --deploy`
        # (alone: `check --deploy --tag pdf`), not before every management command.
        checks.register(pdf_requirements, "pdf", deploy=True)
        # Presence is kept per process unless Redis is configured (settings.presence_cache).
        checks.register(presence_store, deploy=True)
