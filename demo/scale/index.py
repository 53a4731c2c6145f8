"""The scale world's last steps: the search index, written in SQL as the services would (the
comments with their lessons), and VACUUM ANALYZE, so that the planner knows the new tables."""

from django.db import connection

from lessons.models import Lesson
from search.index import reindex_lessons

REINDEX_BATCH = 5000


class SearchIndexBuilder:
    """Part of ScaleWorld (demo/scale/world.py)."""

    def write_search_index(self):
        self.say("Writing the search index")
        ids = list(Lesson.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), REINDEX_BATCH):
            reindex_lessons(ids[start : start + REINDEX_BATCH])
            self.say(f"{min(start + REINDEX_BATCH, len(ids)):,} of {len(ids):,} indexed")

    def vacuum(self):
        """Outside the build's transaction: VACUUM cannot run inside one."""
        self.say("VACUUM ANALYZE")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
