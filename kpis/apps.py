from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = "KPI"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from kpis import portable, spreadsheet
        from kpis.models import MeasurementEvidence, delete_evidence_file
        from kpis.templatetags import kpi_tags
        from worksheets.portable.compare import worksheet_compare
        from worksheets.signals import (
            kpi_status,
            sheet_workbook,
            template_applied,
            worksheet_copied,
            worksheet_export,
            worksheet_import,
        )

        # The KPIs' share of the project document, and of worksheets started from a template:
        # worksheets sends these signals without importing kpis (kpis depends on worksheets).
        worksheet_export.connect(portable.export_part, dispatch_uid="kpis-worksheet-export")
        worksheet_import.connect(portable.import_part, dispatch_uid="kpis-worksheet-import")
        worksheet_compare.connect(portable.compare_part, dispatch_uid="kpis-worksheet-compare")
        template_applied.connect(portable.create_template_kpis, dispatch_uid="kpis-template")
        worksheet_copied.connect(portable.copy_kpis, dispatch_uid="kpis-worksheet-copied")
        kpi_status.connect(kpi_tags.worksheet_kpi_status, dispatch_uid="kpis-status")
        sheet_workbook.connect(spreadsheet.sheet_part, dispatch_uid="kpis-sheet-workbook")
        # A signal, not the delete view: a measurement's, KPI's or worksheet's deletion
        # cascades to evidence without calling MeasurementEvidence.delete().
        post_delete.connect(
            delete_evidence_file, sender=MeasurementEvidence, dispatch_uid="kpis-evidence-file"
        )
