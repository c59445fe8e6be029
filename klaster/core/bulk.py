"""Rows in bulk without a model instance or a compiled statement per row: the dataset import
(klaster.exchange) and the money app's dues run and statement import (issue 10) use it.

``Model.objects.bulk_create`` builds an instance per row and then compiles every value of every
row into SQL through the field machinery (``pre_save`` → ``get_db_prep_save``, expression
checks) — for a 10,000-member file, with its years, events and ~60,000 member links, that was
most of `klaster import` (issue 8). Here the statement is built once per table from the model's
``_meta`` and the rows go to the driver as plain tuples: SQLite runs one prepared INSERT over
them (``executemany``), PostgreSQL takes them through ``COPY … FROM STDIN``.

The values stored are the ones ``bulk_create`` stores: a column's value is converted with its
field's ``get_db_prep_save`` unless the driver takes the Python value as it is (strings,
numbers, booleans, dates, decimals: Django passes those through too, to the same adapters);
a column the caller does not give gets what a new instance would hold — its field's default,
and ``now`` for ``auto_now``/``auto_now_add`` (tests/exchange/test_bulk.py compares
the two ways on every column; an ``auto_now`` column gets one instant per call). No signals are
sent, as with ``bulk_create``. Errors come out as Django's (``IntegrityError``, ``DataError``),
so the caller's transaction and messages are the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone

# Internal types whose Python values Django hands to the driver unchanged (or through the
# driver adapters it registers itself: Decimal → str and date → ISO text on SQLite).
_AS_IS = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "BooleanField",
    "CharField",
    "TextField",
    "SlugField",
    "EmailField",
    "URLField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
    "DecimalField",
    "DateField",
    "ForeignKey",
    "OneToOneField",
}
CHUNK = 20_000  # rows per executemany call: bounds the driver's buffers, costs nothing per row


def _converter(field: Field[Any, Any]) -> Callable[[Any], Any] | None:
    if field.get_internal_type() in _AS_IS:
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _prep(field: Field[Any, Any], value: Any) -> Any:
    convert = _converter(field)
    return value if convert is None or value is None else convert(value)


def _default(field: Field[Any, Any], now: dt.datetime) -> Callable[[], Any] | Any:
    """What a new instance would hold in a column the caller leaves out: a value, the same on
    every row, or a callable for one that must be fresh per row (a uuid)."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        # one instant for the whole insert (bulk_create reads the clock once per row)
        return timezone.localdate(now) if field.get_internal_type() == "DateField" else now
    if field.has_default() and callable(field.default) and field.default not in (list, dict):
        return field.get_default
    # a constant, or an empty list or dict: the database gets the same text on every row
    return field.get_default()


def insert_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert `rows` (sequences of the `fields` attnames' values, in that order) into `model`'s
    table; every other column but the primary key takes its default. Returns the row count."""
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    given = [by_attname[name] for name in fields]
    missing = [f for f in meta.concrete_fields if f.attname not in fields and not f.primary_key]
    for f in (*given, *missing):
        if getattr(f, "generated", False) or getattr(f, "has_db_default", lambda: False)():
            # bulk_create leaves these to the database; nothing here needs them yet
            raise NotImplementedError(
                f"{meta.label}.{f.name}: a generated column or a database default"
            )
    columns = [f.column for f in (*given, *missing)]
    now = timezone.now()
    defaults = [_default(f, now) for f in missing]
    fresh = [(i, d) for i, d in enumerate(defaults) if callable(d)]
    # converted once; a per-row default is converted with the row
    tail = [None if callable(d) else _prep(f, d) for f, d in zip(missing, defaults, strict=True)]
    convert = [(i, c) for i, f in enumerate(given) if (c := _converter(f)) is not None]
    width = len(given)

    def prepared() -> Iterator[tuple[Any, ...]]:
        for row in rows:
            if len(row) != width:
                raise ValueError(f"{meta.label}: {len(row)} values for {width} columns")
            if convert:
                row = list(row)
                for i, c in convert:
                    if row[i] is not None:
                        row[i] = c(row[i])
            if fresh:
                for i, d in fresh:
                    tail[i] = _prep(missing[i], d())
            yield (*row, *tail)

    qn = connection.ops.quote_name
    table = qn(meta.db_table)
    names = ", ".join(qn(c) for c in columns)
    count = 0
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors, connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY goes to the driver's own cursor: it is not in connection.queries and
            # connection.execute_wrapper() hooks do not see it
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for values in prepared():
                    copy.write_row(values)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608 — names from _meta
        chunk: list[tuple[Any, ...]] = []
        for values in prepared():
            chunk.append(values)
            if len(chunk) == CHUNK:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count
