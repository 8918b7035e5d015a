"""One compare-and-set for every conditional write: the versioned base model and its two helpers.

Kept apart from the models so that the rule reads on one page; the models inherit `Versioned`.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F

from worksheets.returning import update_returning


class Versioned(models.Model):
    """A row written by compare-and-set: each accepted write names the version it started from.

    A stored row starts at version 1, so version 0 always means "no row yet" (an empty field,
    a check point not started, a calendar on the default). Every conditional write goes through
    `compare_and_set`. Rows that know who wrote them last keep `updated_by` and `updated_at`,
    set in the same UPDATE by the caller.
    """

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


def compare_and_set(
    rows: models.QuerySet[Any], version: int, *, version_field: str = "version", **values: Any
) -> int:
    """Write `values` to `rows` if they are still at `version`, and bump it.

    `version_field` names the counter where a row keeps more than one (a worksheet versions its
    basic information apart from the sheet's revision).

    Answers the row's new version, or 0 when the write lost (somebody saved meanwhile, or the
    row is gone: the caller reads the latest to tell which). `rows` names the row
    (`Kpi.objects.filter(pk=kpi.pk)`), scope included, so a row of another worksheet never
    matches. One conditional `UPDATE … RETURNING`: the database decides who was first, on
    SQLite and PostgreSQL alike, with no read before it, no lock held, and no read back after.
    """
    written = update_returning(
        rows.filter(**{version_field: version}),
        (version_field,),
        **values,
        **{version_field: F(version_field) + 1},
    )
    return written[0][0] if written else 0


def save_versioned(
    model: type[Versioned], scope: dict[str, Any], version: int, **values: Any
) -> int:
    """`compare_and_set` on the one row `scope` names, where version 0 means "not created yet".

    At 0 the row is created at version 1; the writer loses (0) if somebody created it first.
    Any other integrity error (a value the columns refuse, say) is not a lost race: raised.
    """
    rows = model._default_manager.filter(**scope)
    if version != 0:
        return compare_and_set(rows, version, **values)
    try:
        with transaction.atomic():
            model._default_manager.create(**scope, **values)
    except IntegrityError:
        if rows.exists():
            return 0
        raise
    return 1
