"""Rows of another table read beside a row, in the same query: an array of JSON objects, one per
row with every column, turned back into model instances. What a page needs of a few related
rows then costs no query of its own (the signed-in official's memberships, a lesson's tags)."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models.functions import JSONObject


def rows_beside(queryset):
    """An expression for annotate(): the rows of `queryset` (which may refer to the outer row
    with OuterRef, and keeps its order and slice), every column of each."""
    fields = queryset.model._meta.concrete_fields
    return ArraySubquery(
        queryset.values(row=JSONObject(**{field.attname: field.attname for field in fields}))
    )


def instances(model, rows):
    """The model instances of rows read by `rows_beside`, as if read by a queryset."""
    fields = model._meta.concrete_fields
    names = [field.attname for field in fields]
    return [
        model.from_db(
            "default",
            names,
            [field.to_python(row[name]) for field, name in zip(fields, names, strict=True)],
        )
        for row in rows or ()
    ]
