# Flags of comments: a flag is of a lesson or of one of its comments, never both.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0005_comment_search"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="flag",
            name="comment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="flags",
                to="lessons.comment",
            ),
        ),
        migrations.AlterField(
            model_name="flag",
            name="lesson",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="flags",
                to="lessons.lesson",
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
    ]
