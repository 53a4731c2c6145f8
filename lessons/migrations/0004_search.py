# Search over lessons: unaccent-aware text-search configurations, the stored vector
# with one GIN index per configuration, the vocabulary of suggestions, saved searches.

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.contrib.postgres.operations
import django.contrib.postgres.search
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# minilateral_<language>: PostgreSQL's own configuration, with accents removed before the stemmer.
CONFIGURATIONS = [
    ("minilateral_english", "english", "english_stem"),
    ("minilateral_french", "french", "french_stem"),
    ("minilateral_spanish", "spanish", "spanish_stem"),
    ("minilateral_portuguese", "portuguese", "portuguese_stem"),
    ("minilateral_simple", "simple", "simple"),
]
CREATE_CONFIGURATIONS = "\n".join(
    f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name};"
    f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{base});"
    f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR hword, hword_part, word "
    f"WITH unaccent, {dictionary};"
    for name, base, dictionary in CONFIGURATIONS
)
DROP_CONFIGURATIONS = "\n".join(
    f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name};" for name, _, _ in CONFIGURATIONS
)

# The lessons already written, indexed as lessons.search.reindex_lessons indexes them today
# (frozen here; tests/search/test_search_index.py checks both agree).
TAGS = """(SELECT string_agg(t.name, ' ' ORDER BY t.name) FROM lessons_lesson_tags lt
           JOIN lessons_tag t ON t.id = lt.tag_id WHERE lt.lesson_id = l.id)"""
AREAS = """(SELECT name FROM lessons_technologyarea WHERE id = l.technology_area_id),
           (SELECT name FROM lessons_policyarea WHERE id = l.policy_area_id)"""
BACKFILL = f"""
SET CONSTRAINTS ALL IMMEDIATE;  -- no trigger events left pending for the indexes built next
UPDATE lessons_lesson l SET search_config = CASE split_part(l.language, '-', 1)
    WHEN 'en' THEN 'minilateral_english' WHEN 'fr' THEN 'minilateral_french'
    WHEN 'es' THEN 'minilateral_spanish' WHEN 'pt' THEN 'minilateral_portuguese'
    ELSE 'minilateral_simple' END;
UPDATE lessons_lesson l SET search_vector =
    setweight(to_tsvector(l.search_config::regconfig, concat_ws(' ', l.title, {TAGS})), 'A')
    || setweight(to_tsvector(l.search_config::regconfig,
                             concat_ws(' ', l.summary, l.worked, l.did_not_work)), 'B')
    || setweight(to_tsvector(l.search_config::regconfig,
                             concat_ws(' ', l.intended, l.happened, l.why, l.recommendations,
                                       {AREAS})), 'C')
    || setweight(to_tsvector(l.search_config::regconfig,
                             concat_ws(' ', l.evidence, l.transfer_conditions)), 'D'),
    search_tags = ARRAY(SELECT t.name FROM lessons_lesson_tags lt JOIN lessons_tag t
                        ON t.id = lt.tag_id WHERE lt.lesson_id = l.id ORDER BY t.name);
INSERT INTO lessons_searchterm (word)
    SELECT DISTINCT u.lexeme FROM lessons_lesson l,
        unnest(to_tsvector('minilateral_simple', concat_ws(' ', l.title, {TAGS}, l.summary,
            l.worked, l.did_not_work, l.intended, l.happened, l.why, l.recommendations, {AREAS},
            l.evidence, l.transfer_conditions))) AS u
    WHERE char_length(u.lexeme) BETWEEN 3 AND 40 AND u.lexeme !~ '[0-9[:punct:][:space:]]'
    ON CONFLICT (word) DO NOTHING;
SET CONSTRAINTS ALL DEFERRED;
"""  # noqa: S608 (no value in it: the frozen SQL of this migration)


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0003_discussion"),
        ("networks", "0004_profile"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        django.contrib.postgres.operations.UnaccentExtension(),
        django.contrib.postgres.operations.TrigramExtension(),
        migrations.RunSQL(CREATE_CONFIGURATIONS, DROP_CONFIGURATIONS),
        migrations.CreateModel(
            name="SavedSearch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                ("query", models.JSONField(default=dict)),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="saved"),
                ),
            ],
            options={
                "verbose_name": "saved search",
                "verbose_name_plural": "saved searches",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=40, unique=True)),
            ],
        ),
        migrations.AddField(
            model_name="lesson",
            name="search_config",
            field=models.CharField(blank=True, editable=False, max_length=32),
        ),
        migrations.AddField(
            model_name="lesson",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="lesson",
            name="search_tags",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=60), default=list, editable=False, size=None
            ),
        ),
        migrations.AddField(
            model_name="savedsearch",
            name="owner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="saved_searches",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        # Index what is already written before building the indexes, then build them.
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="lesson",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("search_config", "minilateral_english")),
                fields=["search_vector"],
                name="lesson_search_english",
            ),
        ),
        migrations.AddIndex(
            model_name="lesson",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("search_config", "minilateral_french")),
                fields=["search_vector"],
                name="lesson_search_french",
            ),
        ),
        migrations.AddIndex(
            model_name="lesson",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("search_config", "minilateral_spanish")),
                fields=["search_vector"],
                name="lesson_search_spanish",
            ),
        ),
        migrations.AddIndex(
            model_name="lesson",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("search_config", "minilateral_portuguese")),
                fields=["search_vector"],
                name="lesson_search_portuguese",
            ),
        ),
        migrations.AddIndex(
            model_name="lesson",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("search_config", "minilateral_simple")),
                fields=["search_vector"],
                name="lesson_search_simple",
            ),
        ),
        migrations.AddIndex(
            model_name="searchterm",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["word"], name="search_term_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
    ]
