"""`UPDATE … RETURNING`: a write that answers with the values it wrote, in one statement.

Django's `QuerySet.update()` returns the number of rows only, so a counter bumped with
`F("revision") + 1` had to be read back with a second query (and a row just saved re-read in
full). SQLite (3.35 and later) and PostgreSQL both accept a RETURNING clause on UPDATE: the
statement Django compiles for `update()` gets one, and the new values come back with it.

Only integer columns are asked for here (ids, versions, revisions): they come back from both
databases as Python ints, with no converter to apply.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql import UpdateQuery


def update_returning(
    queryset: QuerySet[Any], returning: tuple[str, ...], **values: Any
) -> list[tuple[int, ...]]:
    """`queryset.update(**values)`, answering the `returning` columns of each updated row.

    An empty list means no row matched (the compare-and-set lost). `returning` names model
    fields of integer type (e.g. ("id", "version")).
    """
    # django-stubs types chain() as answering a Query, whatever class it is asked for.
    query: UpdateQuery = queryset.query.chain(UpdateQuery)  # type: ignore[assignment]
    query.add_update_values(values)
    compiler = query.get_compiler(queryset.db)
    compiler.pre_sql_setup()
    sql, params = compiler.as_sql()
    connection = connections[queryset.db]
    meta = queryset.model._meta
    columns = ", ".join(
        connection.ops.quote_name(meta.get_field(name).column) for name in returning
    )
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} RETURNING {columns}", params)
        return [tuple(row) for row in cursor.fetchall()]
