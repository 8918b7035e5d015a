"""Rows stored at version 0 move to 1: from now on 0 means "no row yet" and nothing else.

Check-list items were created at 0 and bumped in the same transaction, except when that
compare-and-set lost; such a row would now refuse every save (version 0 asks to create it).
A form still open at 0 for one of them is refused once and then offers the latest.
"""

from django.db import migrations


def move_off_zero(apps, schema_editor):
    for name in ("ChecklistItem", "SelfCheck"):
        apps.get_model("worksheets", name).objects.filter(version=0).update(version=1)


class Migration(migrations.Migration):
    dependencies = [("worksheets", "0010_versions_start_at_one")]

    operations = [migrations.RunPython(move_off_zero, migrations.RunPython.noop)]
