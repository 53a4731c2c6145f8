"""The notifications models, created in this app's state over the tables lessons created them in
(`lessons_*`, kept by Meta.db_table): no table, row, index or constraint is touched."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MODELS = ["notification", "notificationpreference"]


def _move_content_types(apps, schema_editor, source, target):
    """The models' content types (and so their permissions and admin history) follow them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    moving = ContentType.objects.filter(app_label=source, model__in=MODELS)
    ContentType.objects.filter(app_label=target, model__in=moving.values("model")).delete()
    moving.update(app_label=target)


def forwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "lessons", "notifications")


def backwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "notifications", "lessons")


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
                    name="Notification",
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
                            "kind",
                            models.CharField(
                                choices=[
                                    ("comment", "A comment on your lesson"),
                                    ("followed_comment", "A comment on a lesson you follow"),
                                    ("reply", "A reply to your comment"),
                                    ("mention", "A mention of you"),
                                    ("new_lesson", "A new lesson in your network"),
                                    ("moderation", "A moderator’s decision on your content"),
                                    ("invitation", "An invitation to a network"),
                                    ("join_decision", "A decision on your request to join"),
                                    ("audience_request", "A request to widen a lesson’s audience"),
                                    ("audience_decision", "A decision on a wider audience"),
                                ],
                                max_length=32,
                                verbose_name="kind",
                            ),
                        ),
                        ("data", models.JSONField(blank=True, default=dict)),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="created"
                            ),
                        ),
                        (
                            "read_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="read"),
                        ),
                        (
                            "delivery",
                            models.CharField(
                                choices=[
                                    ("immediately", "Each one, as it happens"),
                                    ("daily", "A daily digest"),
                                    ("weekly", "A weekly digest"),
                                    ("never", "No email (the notifications stay in Minilateral)"),
                                ],
                                default="immediately",
                                max_length=16,
                            ),
                        ),
                        (
                            "email_status",
                            models.CharField(
                                choices=[
                                    ("waiting", "Waiting to be sent"),
                                    ("sent", "Sent"),
                                    ("skipped", "Not sent"),
                                ],
                                default="waiting",
                                max_length=16,
                            ),
                        ),
                        ("emailed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "comment",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="discussion.comment",
                            ),
                        ),
                        (
                            "lesson",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="lessons.lesson",
                            ),
                        ),
                        (
                            "network",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="networks.network",
                            ),
                        ),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "notification",
                        "verbose_name_plural": "notifications",
                        "db_table": "lessons_notification",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [
                            models.Index(
                                fields=["recipient", "-created_at"],
                                name="lessons_not_recipie_05bb27_idx",
                            ),
                            models.Index(
                                condition=models.Q(("read_at__isnull", True)),
                                fields=["recipient", "id"],
                                name="lessons_notification_unread",
                            ),
                            models.Index(
                                condition=models.Q(("email_status", "waiting")),
                                fields=["delivery", "recipient", "network"],
                                name="lessons_notification_waiting",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="NotificationPreference",
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
                            "delivery",
                            models.CharField(
                                choices=[
                                    ("immediately", "Each one, as it happens"),
                                    ("daily", "A daily digest"),
                                    ("weekly", "A weekly digest"),
                                    ("never", "No email (the notifications stay in Minilateral)"),
                                ],
                                default="immediately",
                                max_length=16,
                                verbose_name="email",
                            ),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "network",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="networks.network",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notification_preferences",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "notification preference",
                        "verbose_name_plural": "notification preferences",
                        "db_table": "lessons_notificationpreference",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "network"),
                                name="lessons_one_preference_per_network",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
