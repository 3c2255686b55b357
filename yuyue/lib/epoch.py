"""A datetime column read as integer microseconds since the Unix epoch, computed in SQL.

The availability engine works in integer microseconds; reading the column as an integer skips
the driver's parsing of a datetime object per row and the engine's conversion back, which was
most of the cost of loading thousands of busy spans.
"""

from django.db.models import BigIntegerField, Func


class EpochMicroseconds(Func):
    arity = 1
    output_field = BigIntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django stores UTC as "YYYY-MM-DD HH:MM:SS[.ffffff]": whole seconds through julianday
        # (exact once rounded), the microseconds from the text, so no float error creeps in.
        template = (
            "(CAST(ROUND((julianday(substr(%(expressions)s, 1, 19)) - 2440587.5) * 86400)"
            " AS INTEGER) * 1000000 + CAST(substr(%(expressions)s, 21, 6) AS INTEGER))"
        )
        return self.as_sql(compiler, connection, template=template, **extra_context)
