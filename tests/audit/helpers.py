"""Helpers for the audit tests: writing small chains and tampering through raw SQL (the ORM refuses)."""

from django.db import connection, transaction

from motcua.audit.services import record


def write(stream: str, n: int, **kwargs) -> list:
    """Append n records to ``stream``, each in its own transaction like real writers."""
    out = []
    for i in range(n):
        with transaction.atomic():
            out.append(record(stream, kwargs.get("action", "update"), target_type="test", target_id=str(i),
                              old={"i": i}, new={"i": i + 1}))
    return out


def sql(statement: str, params=()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount
