"""Number every list's entries 1, 2, 3… per parent, before positions become unique.

Two simultaneous adds could take the same position (and imported or scripted rows could sit at
0); the order people saw — by position, then by id — is kept.
"""

from django.db import migrations

LISTS = [
    ("Stakeholder", "worksheet_id"),
    ("StakeholderRole", "stakeholder_id"),
    ("Exchange", "worksheet_id"),
    ("Risk", "worksheet_id"),
]


def number_positions(apps, schema_editor):
    for model_name, parent in LISTS:
        model = apps.get_model("worksheets", model_name)
        rows = model.objects.order_by(parent, "position", "pk").values_list("pk", parent, "position")
        previous, number, changed = None, 0, []
        for pk, parent_id, position in rows.iterator():
            number = number + 1 if parent_id == previous else 1
            previous = parent_id
            if position != number:
                changed.append(model(pk=pk, position=number))
        model.objects.bulk_update(changed, ["position"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("worksheets", "0015_user_is_org_admin"),
    ]

    operations = [migrations.RunPython(number_positions, migrations.RunPython.noop)]
