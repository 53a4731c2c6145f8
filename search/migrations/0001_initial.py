"""The search models, created in this app's state over the tables lessons created them in
(`lessons_*`, kept by Meta.db_table): no table, row, index or constraint is touched."""

import django.contrib.postgres.indexes
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MODELS = ["searchterm", "savedsearch"]


def _move_content_types(apps, schema_editor, source, target):
    """The models' content types (and so their permissions and admin history) follow them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    moving = ContentType.objects.filter(app_label=source, model__in=MODELS)
    ContentType.objects.filter(app_label=target, model__in=moving.values("model")).delete()
    moving.update(app_label=target)


def forwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "lessons", "search")


def backwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "search", "lessons")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("lessons", "0011_unread_index_and_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SavedSearch",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=120, verbose_name="name")),
                        ("query", models.JSONField(default=dict)),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="saved"
                            ),
                        ),
                        (
                            "owner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="saved_searches",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "saved search",
                        "verbose_name_plural": "saved searches",
                        "db_table": "lessons_savedsearch",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="SearchTerm",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("word", models.CharField(max_length=40, unique=True)),
                    ],
                    options={
                        "db_table": "lessons_searchterm",
                        "indexes": [
                            django.contrib.postgres.indexes.GinIndex(
                                fields=["word"], name="search_term_trgm", opclasses=["gin_trgm_ops"]
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
