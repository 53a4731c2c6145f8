"""Search keeps its index in step with every write it hears of (connected in apps.py)."""

from search import index


def reindex_lessons(sender, *, lesson_ids, **kwargs):
    index.reindex_lessons(lesson_ids)


def reindex_comments(sender, *, comment_ids, **kwargs):
    index.reindex_comments(comment_ids)
