"""What the discussion does when a lower layer announces something (connected in apps.py)."""

from discussion import services


def author_follows_published_lesson(sender, *, lesson, **kwargs):
    """Authors follow the discussion of their own published lesson."""
    services.follow(lesson.author, lesson)
