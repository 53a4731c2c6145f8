"""The discussion models, created in this app's state over the tables lessons created them in
(`lessons_*`, kept by Meta.db_table): no table, row, index or constraint is touched."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MODELS = ["comment", "commentrevision", "follow"]


def _move_content_types(apps, schema_editor, source, target):
    """The models' content types (and so their permissions and admin history) follow them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    moving = ContentType.objects.filter(app_label=source, model__in=MODELS)
    ContentType.objects.filter(app_label=target, model__in=moving.values("model")).delete()
    moving.update(app_label=target)


def forwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "lessons", "discussion")


def backwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "discussion", "lessons")


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
                    name="Comment",
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
                        ("body", models.TextField(max_length=5000, verbose_name="comment")),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="posted"
                            ),
                        ),
                        (
                            "edited_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="edited"),
                        ),
                        (
                            "deleted_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="deleted"),
                        ),
                        (
                            "is_hidden",
                            models.BooleanField(
                                default=False, verbose_name="hidden by a moderator"
                            ),
                        ),
                        (
                            "hidden_reason",
                            models.TextField(blank=True, verbose_name="why it is hidden"),
                        ),
                        (
                            "creation_token",
                            models.UUIDField(blank=True, editable=False, null=True, unique=True),
                        ),
                        (
                            "search_config",
                            models.CharField(blank=True, editable=False, max_length=32),
                        ),
                        (
                            "search_vector",
                            django.contrib.postgres.search.SearchVectorField(
                                editable=False, null=True
                            ),
                        ),
                        (
                            "author",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="comments",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "hidden_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "lesson",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="comments",
                                to="lessons.lesson",
                            ),
                        ),
                        (
                            "mentions",
                            models.ManyToManyField(
                                blank=True, related_name="mentioned_in", to=settings.AUTH_USER_MODEL
                            ),
                        ),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="replies",
                                to="discussion.comment",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "comment",
                        "verbose_name_plural": "comments",
                        "db_table": "lessons_comment",
                        "ordering": ["created_at", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="CommentRevision",
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
                        ("number", models.PositiveIntegerField()),
                        ("body", models.TextField()),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "comment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="revisions",
                                to="discussion.comment",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "lessons_commentrevision",
                        "ordering": ["-number"],
                    },
                ),
                migrations.CreateModel(
                    name="Follow",
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
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "lesson",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="follows",
                                to="lessons.lesson",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="follows",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "lessons_follow",
                    },
                ),
                migrations.AddIndex(
                    model_name="comment",
                    index=models.Index(
                        fields=["lesson", "created_at"], name="lessons_com_lesson__a7d0d3_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="comment",
                    index=django.contrib.postgres.indexes.GinIndex(
                        condition=models.Q(("search_config", "minilateral_english")),
                        fields=["search_vector"],
                        name="comment_search_english",
                    ),
                ),
                migrations.AddIndex(
                    model_name="comment",
                    index=django.contrib.postgres.indexes.GinIndex(
                        condition=models.Q(("search_config", "minilateral_french")),
                        fields=["search_vector"],
                        name="comment_search_french",
                    ),
                ),
                migrations.AddIndex(
                    model_name="comment",
                    index=django.contrib.postgres.indexes.GinIndex(
                        condition=models.Q(("search_config", "minilateral_spanish")),
                        fields=["search_vector"],
                        name="comment_search_spanish",
                    ),
                ),
                migrations.AddIndex(
                    model_name="comment",
                    index=django.contrib.postgres.indexes.GinIndex(
                        condition=models.Q(("search_config", "minilateral_portuguese")),
                        fields=["search_vector"],
                        name="comment_search_portuguese",
                    ),
                ),
                migrations.AddIndex(
                    model_name="comment",
                    index=django.contrib.postgres.indexes.GinIndex(
                        condition=models.Q(("search_config", "minilateral_simple")),
                        fields=["search_vector"],
                        name="comment_search_simple",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="commentrevision",
                    constraint=models.UniqueConstraint(
                        fields=("comment", "number"), name="lessons_comment_revision_once"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="follow",
                    constraint=models.UniqueConstraint(
                        fields=("user", "lesson"), name="lessons_follow_once"
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
