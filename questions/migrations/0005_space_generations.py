"""Questions move the generations of their spaces (lessons/0013), as lessons do: a question has
a network and an audience, its answers and tags are its own."""

import importlib

from django.db import migrations

spaces = importlib.import_module("lessons.migrations.0014_space_generations")

TABLES = {
    "questions_question": "home",
    "questions_answer": "questions_question.question_id",
    "questions_question_tags": "questions_question.question_id",
}


class Migration(migrations.Migration):
    dependencies = [("lessons", "0014_space_generations"), ("questions", "0004_single_line_names")]

    operations = [
        migrations.RunSQL(
            "".join(spaces.space_triggers(table, how) for table, how in TABLES.items()),
            "".join(spaces.old_triggers(table) for table in TABLES),
        )
    ]
