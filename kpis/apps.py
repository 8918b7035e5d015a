from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = "KPI"

    def ready(self) -> None:
        # The KPIs' share of the project document, and of worksheets started from a template:
        # worksheets sends these signals without importing kpis (kpis depends on worksheets).
        from kpis import project
        from worksheets.project import project_compare
        from worksheets.signals import project_export, project_import, template_applied

        project_export.connect(project.export_part, dispatch_uid="kpis-project-export")
        project_import.connect(project.import_part, dispatch_uid="kpis-project-import")
        project_compare.connect(project.compare_part, dispatch_uid="kpis-project-compare")
        template_applied.connect(project.create_template_kpis, dispatch_uid="kpis-template")
