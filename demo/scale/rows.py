"""How the scale seeder loads rows: `Copier` puts them in with PostgreSQL's COPY (measured:
`bulk_create` took several times as long for the comments), and `zipf_counts` sizes the long
tails (comments and endorsements per lesson) so that a few lessons are busy and most are quiet."""

import io
import json
from datetime import date, datetime

from django.db import connection


class Copier:
    """Rows into a table with COPY: much faster than INSERT for a million rows."""

    def __init__(self, cursor):
        self.cursor = cursor

    @staticmethod
    def _value(value):
        if value is None:
            return r"\N"
        if value is True:
            return "t"
        if value is False:
            return "f"
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, list):
            items = ",".join('"' + str(item).replace('"', r"\"") + '"' for item in value)
            value = "{" + items + "}"
        elif isinstance(value, dict):
            value = json.dumps(value)
        text = str(value)
        return (
            text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "")
        )

    def copy(self, model, fields, rows):
        """COPY `rows` (tuples in the order of `fields`, model field names) into the model's
        table; returns how many."""
        meta = model._meta
        # A column added later with a default (another issue's) gets it, so loading still works;
        # so does a text column without one (its default is the empty string, e.g. the search
        # configuration, which the reindex at the end writes).
        defaults = [
            field
            for field in meta.concrete_fields
            if field.name not in fields
            and not field.primary_key
            and not field.null
            and (field.has_default() or field.empty_strings_allowed)
        ]
        fields = [*fields, *(field.name for field in defaults)]
        tail = "".join("\t" + self._value(field.get_default()) for field in defaults)
        columns = ", ".join(connection.ops.quote_name(meta.get_field(f).column) for f in fields)
        table = connection.ops.quote_name(meta.db_table)
        buffer = io.StringIO()
        count = 0
        for row in rows:
            buffer.write("\t".join(self._value(value) for value in row))
            buffer.write(tail)
            buffer.write("\n")
            count += 1
        buffer.seek(0)
        self.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
        return count

    def copy_through(self, through, left, right, pairs):
        """COPY (left id, right id) pairs into a many-to-many table."""
        return self.copy(through, [left, right], pairs)

    def next_id(self, model):
        table = connection.ops.quote_name(model._meta.db_table)
        self.cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608  # nosec B608
        return self.cursor.fetchone()[0]

    def sync_sequence(self, model):
        """After explicit ids: the next INSERT gets an id above them."""
        last = self.next_id(model) - 1
        self.cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
            [model._meta.db_table, max(last, 1)],
        )


def zipf_counts(rng, size, total, *, exponent, cap):
    """`size` counts summing to about `total`, Zipf-distributed over a random order (rank r gets
    a share proportional to 1/r**exponent), none above `cap`."""
    if size == 0:
        return []
    weights = [1 / (rank**exponent) for rank in range(1, size + 1)]
    scale_by = total / sum(weights)
    for _ in range(3):  # capping loses rows: spread them over the rest
        counts = [min(cap, w * scale_by) for w in weights]
        missing = total - sum(counts)
        uncapped = sum(w for w, c in zip(weights, counts, strict=True) if c < cap)
        if missing <= 1 or not uncapped:
            break
        scale_by += missing / uncapped
    # Random rounding keeps the sum and gives the long tail its ones and zeros.
    result = [int(c) + (rng.random() < c - int(c)) for c in counts]
    rng.shuffle(result)
    return result
