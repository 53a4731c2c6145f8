"""The moderation models, created in this app's state over the tables lessons created them in
(`lessons_*`, kept by Meta.db_table): no table, row, index or constraint is touched."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import moderation.models

MODELS = ["flag", "moderatornote", "collection", "collectionitem", "brief"]


def _move_content_types(apps, schema_editor, source, target):
    """The models' content types (and so their permissions and admin history) follow them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    moving = ContentType.objects.filter(app_label=source, model__in=MODELS)
    ContentType.objects.filter(app_label=target, model__in=moving.values("model")).delete()
    moving.update(app_label=target)


def forwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "lessons", "moderation")


def backwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "moderation", "lessons")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("discussion", "0001_initial"),
        ("lessons", "0011_unread_index_and_names"),
        ("networks", "0009_flag_threshold_comments"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Collection",
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
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("slug", models.SlugField(max_length=100, verbose_name="slug")),
                        (
                            "introduction",
                            models.TextField(
                                blank=True, max_length=5000, verbose_name="introduction"
                            ),
                        ),
                        (
                            "audience",
                            models.CharField(
                                choices=[
                                    ("group", "The working group"),
                                    ("network", "The network"),
                                    ("all_networks", "Every network on Minilateral"),
                                    ("public", "The public web"),
                                ],
                                default="network",
                                max_length=16,
                                verbose_name="audience",
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "network",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="collections",
                                to="networks.network",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "lessons_collection",
                        "ordering": ["title"],
                    },
                ),
                migrations.CreateModel(
                    name="Brief",
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
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        (
                            "audience",
                            models.CharField(
                                choices=[
                                    ("group", "The working group"),
                                    ("network", "The network"),
                                    ("all_networks", "Every network on Minilateral"),
                                    ("public", "The public web"),
                                ],
                                max_length=16,
                                verbose_name="made for",
                            ),
                        ),
                        (
                            "filters",
                            models.JSONField(blank=True, default=dict, verbose_name="filters"),
                        ),
                        ("lesson_count", models.PositiveIntegerField(default=0)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("pdf", models.FileField(upload_to=moderation.models.brief_path)),
                        ("markdown", models.FileField(upload_to=moderation.models.brief_path)),
                        ("csv", models.FileField(upload_to=moderation.models.brief_path)),
                        ("json", models.FileField(upload_to=moderation.models.brief_path)),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "network",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="briefs",
                                to="networks.network",
                            ),
                        ),
                        (
                            "collection",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="briefs",
                                to="moderation.collection",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "lessons_brief",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="CollectionItem",
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
                        ("position", models.PositiveIntegerField(default=0)),
                        (
                            "collection",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="items",
                                to="moderation.collection",
                            ),
                        ),
                        (
                            "lesson",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="collection_items",
                                to="lessons.lesson",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "lessons_collectionitem",
                        "ordering": ["position", "pk"],
                    },
                ),
                migrations.AddField(
                    model_name="collection",
                    name="lessons",
                    field=models.ManyToManyField(
                        related_name="collections",
                        through="moderation.CollectionItem",
                        to="lessons.lesson",
                    ),
                ),
                migrations.CreateModel(
                    name="Flag",
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
                        (
                            "reason",
                            models.CharField(
                                choices=[
                                    ("inaccurate", "Inaccurate"),
                                    ("sensitive", "Sensitive: should not be shared"),
                                    ("rules", "Breaks the network’s rules"),
                                    ("other", "Other"),
                                ],
                                max_length=16,
                                verbose_name="reason",
                            ),
                        ),
                        (
                            "note",
                            models.TextField(
                                blank=True, max_length=1000, verbose_name="what is wrong"
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("resolved_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "comment",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="flags",
                                to="discussion.comment",
                            ),
                        ),
                        (
                            "lesson",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="flags",
                                to="lessons.lesson",
                            ),
                        ),
                        (
                            "reporter",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "resolved_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "lessons_flag",
                        "ordering": ["created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="ModeratorNote",
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
                        ("body", models.TextField(max_length=2000, verbose_name="note")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "author",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "lesson",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="moderator_notes",
                                to="lessons.lesson",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "lessons_moderatornote",
                        "ordering": ["created_at"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="collectionitem",
                    constraint=models.UniqueConstraint(
                        fields=("collection", "lesson"), name="lessons_item_once"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="collection",
                    constraint=models.UniqueConstraint(
                        fields=("network", "slug"), name="lessons_collection_slug_once"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="flag",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("resolved_at__isnull", True)),
                        fields=("lesson", "reporter"),
                        name="lessons_flag_once_while_open",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="flag",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("resolved_at__isnull", True)),
                        fields=("comment", "reporter"),
                        name="lessons_comment_flag_once_while_open",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="flag",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("comment__isnull", True), ("lesson__isnull", False)),
                            models.Q(("comment__isnull", False), ("lesson__isnull", True)),
                            _connector="OR",
                        ),
                        name="lessons_flag_of_lesson_or_comment",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
