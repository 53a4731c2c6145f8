"""What moderation does when a lower layer announces something (connected in apps.py)."""

from moderation.models import Flag
from networks.account_services import exported_time


def _flag_raised(flag):
    """A flag the official raised, of a lesson or of a comment on one."""
    lesson = flag.lesson if flag.lesson_id else flag.comment.lesson
    return {
        "lesson": {"id": lesson.pk, "title": lesson.title},
        "comment": flag.comment_id,
        "reason": flag.reason,
        "note": flag.note,
        "created_at": exported_time(flag.created_at),
        "resolved_at": exported_time(flag.resolved_at),
    }


def personal_data(sender, *, user, **kwargs):
    """The flags the official raised (never who flagged their own content), for their export."""
    flags = Flag.objects.filter(reporter=user).select_related("lesson", "comment__lesson")
    return {"flags_raised": [_flag_raised(f) for f in flags.order_by("pk")]}
