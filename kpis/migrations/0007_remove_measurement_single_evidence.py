from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("kpis", "0006_move_single_evidence_into_items")]

    operations = [
        migrations.RemoveField(model_name="measurement", name="evidence"),
        migrations.RemoveField(model_name="measurement", name="evidence_url"),
    ]
