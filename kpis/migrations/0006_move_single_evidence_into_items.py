"""Each measurement's one evidence file and one link become its first evidence items.

The file keeps its stored name (nothing is copied or moved on disk), and the item is dated and
signed as the measurement was entered. Backwards, a measurement gets back its first file and
its first link; further items have nowhere to go and are left out.
"""

from django.db import migrations


def move_into_items(apps, schema_editor):
    Measurement = apps.get_model("kpis", "Measurement")
    MeasurementEvidence = apps.get_model("kpis", "MeasurementEvidence")
    items = []
    with_evidence = Measurement.objects.exclude(evidence="", evidence_url="").order_by("pk")
    for m in with_evidence.iterator(chunk_size=500):
        who = {"added_by_id": m.entered_by_id, "added_at": m.entered_at}
        if m.evidence:
            items.append(MeasurementEvidence(measurement_id=m.pk, file=m.evidence.name, **who))
        if m.evidence_url:
            items.append(MeasurementEvidence(measurement_id=m.pk, url=m.evidence_url, **who))
    MeasurementEvidence.objects.bulk_create(items, batch_size=500)


def back_into_columns(apps, schema_editor):
    Measurement = apps.get_model("kpis", "Measurement")
    MeasurementEvidence = apps.get_model("kpis", "MeasurementEvidence")
    for item in MeasurementEvidence.objects.order_by("-added_at", "-pk").iterator():
        column = {"evidence": item.file.name} if item.file else {"evidence_url": item.url}
        Measurement.objects.filter(pk=item.measurement_id).update(**column)


class Migration(migrations.Migration):
    dependencies = [("kpis", "0005_measurementevidence")]

    operations = [migrations.RunPython(move_into_items, back_into_columns)]
