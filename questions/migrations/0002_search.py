"""Questions are found by search (questions/index.py, questions/search.py): each question's
search columns, their indexes (one GIN index per text-search configuration, as lessons have), the
questions already asked indexed as questions.index.reindex_questions indexes them today (frozen
here; tests/questions/test_question_search.py checks both agree), and the search generation
(lessons/0009) moved on by every write to what a search of questions reads."""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

TAGS = """(SELECT string_agg(t.name, ' ' ORDER BY t.name) FROM questions_question_tags qt
           JOIN lessons_tag t ON t.id = qt.tag_id WHERE qt.question_id = q.id)"""
ANSWERS = """(SELECT string_agg(a.body, E'\\n' ORDER BY a.created_at, a.id) FROM questions_answer a
              WHERE a.question_id = q.id AND NOT a.is_hidden)"""
BACKFILL = f"""
UPDATE questions_question q SET search_config = CASE split_part(q.language, '-', 1)
    WHEN 'en' THEN 'minilateral_english' WHEN 'fr' THEN 'minilateral_french'
    WHEN 'es' THEN 'minilateral_spanish' WHEN 'pt' THEN 'minilateral_portuguese'
    ELSE 'minilateral_simple' END;
UPDATE questions_question q SET search_vector =
    setweight(to_tsvector(q.search_config::regconfig, concat_ws(' ', q.title, {TAGS})), 'A')
    || setweight(to_tsvector(q.search_config::regconfig, coalesce(q.body, '')), 'B')
    || setweight(to_tsvector(q.search_config::regconfig, coalesce(
        (SELECT name FROM lessons_policyarea WHERE id = q.policy_area_id), '')), 'C'),
    search_tags = ARRAY(SELECT t.name FROM questions_question_tags qt JOIN lessons_tag t
                        ON t.id = qt.tag_id WHERE qt.question_id = q.id ORDER BY t.name),
    answers_vector = to_tsvector(q.search_config::regconfig, left(coalesce({ANSWERS}, ''), 200000));
"""  # noqa: S608 (no value in it: the frozen SQL of this migration)

# lessons/0009's triggers, on the tables a search of questions reads.
TABLES = ["questions_question", "questions_answer", "questions_question_tags"]


def triggers(table):
    return f"""
CREATE TRIGGER {table}_search_now AFTER INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION lessons_search_changed();
CREATE CONSTRAINT TRIGGER {table}_search_on_commit AFTER INSERT OR UPDATE OR DELETE ON {table}
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION lessons_search_changed();
"""


def drop(table):
    return f"""
DROP TRIGGER IF EXISTS {table}_search_now ON {table};
DROP TRIGGER IF EXISTS {table}_search_on_commit ON {table};
"""


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0012_capabilities_moved_out"),
        ("questions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="answers_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="question",
            name="search_config",
            field=models.CharField(blank=True, editable=False, max_length=32),
        ),
        migrations.AddField(
            model_name="question",
            name="search_tags",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=60), default=list, editable=False
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="question",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("search_config", "minilateral_english")),
                fields=["search_vector"],
                name="question_search_english",
            ),
        ),
        migrations.AddIndex(
            model_name="question",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("search_config", "minilateral_french")),
                fields=["search_vector"],
                name="question_search_french",
            ),
        ),
        migrations.AddIndex(
            model_name="question",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("search_config", "minilateral_spanish")),
                fields=["search_vector"],
                name="question_search_spanish",
            ),
        ),
        migrations.AddIndex(
            model_name="question",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("search_config", "minilateral_portuguese")),
                fields=["search_vector"],
                name="question_search_portuguese",
            ),
        ),
        migrations.AddIndex(
            model_name="question",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("search_config", "minilateral_simple")),
                fields=["search_vector"],
                name="question_search_simple",
            ),
        ),
        migrations.AddIndex(
            model_name="question",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("search_config", "minilateral_english")),
                fields=["answers_vector"],
                name="question_answers_english",
            ),
        ),
        migrations.AddIndex(
            model_name="question",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("search_config", "minilateral_french")),
                fields=["answers_vector"],
                name="question_answers_french",
            ),
        ),
        migrations.AddIndex(
            model_name="question",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("search_config", "minilateral_spanish")),
                fields=["answers_vector"],
                name="question_answers_spanish",
            ),
        ),
        migrations.AddIndex(
            model_name="question",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("search_config", "minilateral_portuguese")),
                fields=["answers_vector"],
                name="question_answers_portuguese",
            ),
        ),
        migrations.AddIndex(
            model_name="question",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("search_config", "minilateral_simple")),
                fields=["answers_vector"],
                name="question_answers_simple",
            ),
        ),
        migrations.RunSQL(
            "".join(triggers(table) for table in TABLES),
            "".join(drop(table) for table in TABLES),
        ),
    ]
