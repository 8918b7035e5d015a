from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = "KPI"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from kpis import project, spreadsheet
        from kpis.models import Measurement, delete_evidence_file
        from kpis.templatetags import kpi_tags
        from worksheets.portable.compare import project_compare
        from worksheets.signals import (
            kpi_status,
            project_export,
            project_import,
            sheet_workbook,
            template_applied,
            worksheet_copied,
        )

        # The KPIs' share of the project document, and of worksheets started from a template:
        # worksheets sends these signals without importing kpis (kpis depends on worksheets).
        project_export.connect(project.export_part, dispatch_uid="kpis-project-export")
        project_import.connect(project.import_part, dispatch_uid="kpis-project-import")
        project_compare.connect(project.compare_part, dispatch_uid="kpis-project-compare")
        template_applied.connect(project.create_template_kpis, dispatch_uid="kpis-template")
        worksheet_copied.connect(project.copy_kpis, dispatch_uid="kpis-worksheet-copied")
        kpi_status.connect(kpi_tags.worksheet_kpi_status, dispatch_uid="kpis-status")
        sheet_workbook.connect(spreadsheet.sheet_part, dispatch_uid="kpis-sheet-workbook")
        # A signal, not the delete view: a KPI's or worksheet's deletion cascades to
        # measurements without calling Measurement.delete().
        post_delete.connect(
            delete_evidence_file, sender=Measurement, dispatch_uid="kpis-evidence-file"
        )
