"""Notices of questions: three more kinds a notification may be."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_flags_decisions_without_words"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(
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
                    ("new_question", "A new question in your network"),
                    ("answer", "An answer to your question"),
                    ("answer_mention", "A mention of you in an answer"),
                ],
                max_length=32,
                verbose_name="kind",
            ),
        ),
    ]
