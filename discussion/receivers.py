"""What the discussion does when a lower layer announces something (connected in apps.py)."""

from discussion import services
from discussion.models import Comment, Follow
from networks.account_services import exported_time


def author_follows_published_lesson(sender, *, lesson, **kwargs):
    """Authors follow the discussion of their own published lesson."""
    services.follow(lesson.author, lesson)


def personal_data(sender, *, user, **kwargs):
    """The official's comments (with the earlier texts of those they edited) and the
    discussions they follow, for their data export. Never who else wrote or was mentioned."""
    comments = (
        Comment.objects.filter(author=user)
        .select_related("lesson")
        .prefetch_related("revisions")
        .order_by("created_at", "pk")
    )
    return {
        "comments": [
            {
                "id": comment.pk,
                "lesson": {"id": comment.lesson_id, "title": comment.lesson.title},
                "reply_to": comment.parent_id,
                "text": comment.body,
                "posted_at": exported_time(comment.created_at),
                "edited_at": exported_time(comment.edited_at),
                "deleted_at": exported_time(comment.deleted_at),
                "hidden_by_a_moderator": comment.is_hidden,
                "earlier_texts": [
                    {"text": r.body, "until": exported_time(r.created_at)}
                    for r in comment.revisions.all()
                ],
            }
            for comment in comments
        ],
        "followed_discussions": [
            {"lesson": {"id": f.lesson_id, "title": f.lesson.title}}
            for f in Follow.objects.filter(user=user).select_related("lesson").order_by("pk")
        ],
    }
