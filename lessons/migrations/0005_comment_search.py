# Search over comments: each comment's vector, in its lesson's configuration, with one
# GIN index per configuration, as for lessons. The comments already written are indexed as
# lessons.search.reindex_comments indexes them.

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.conf import settings
from django.db import migrations, models

BACKFILL = """
SET CONSTRAINTS ALL IMMEDIATE;
UPDATE lessons_comment c SET search_config = COALESCE(NULLIF(l.search_config, ''), 'minilateral_simple')
    FROM lessons_lesson l WHERE l.id = c.lesson_id;
UPDATE lessons_comment SET search_vector = to_tsvector(search_config::regconfig, translate(
    regexp_replace(regexp_replace(concat_ws(' ', body), '\\]\\([^)]*\\)', ']', 'g'),
                   '<[^>]*>|[][*_`#>|~]+', ' ', 'g'),
    E'\\x01\\x02', ''));
"""


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0004_search"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="search_config",
            field=models.CharField(blank=True, editable=False, max_length=32),
        ),
        migrations.AddField(
            model_name="comment",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
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
    ]
