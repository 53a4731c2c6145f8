"""What lessons does when the layer below announces something (connected in apps.py)."""

from lessons.models import Endorsement, Lesson
from networks.account_services import exported_time


def _lesson_data(lesson):
    data = {}
    for field in lesson._meta.concrete_fields:
        if field.name == "creation_token":
            continue  # a one-time form token, nothing about the official
        value = getattr(lesson, field.name)
        if field.is_relation:
            value = str(value) if value is not None else None
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        data[field.name] = value
    data["tags"] = [tag.name for tag in lesson.tags.all()]
    data["attachments"] = [
        {
            "file_name": attachment.original_name,
            "content_type": attachment.content_type,
            "size": attachment.size,
            "uploaded_at": exported_time(attachment.created_at),
        }
        for attachment in lesson.attachments.all()
    ]
    return data


def personal_data(sender, *, user, **kwargs):
    """The official's lessons, in every state, and their endorsements, for their data export."""
    lessons = (
        Lesson.objects.filter(author=user)
        .select_related(
            "network", "working_group", "author_country", "technology_area", "policy_area"
        )
        .prefetch_related("tags", "attachments")
        .order_by("created_at", "pk")
    )
    return {
        "lessons": [_lesson_data(lesson) for lesson in lessons],
        "endorsements": [
            {
                "lesson": {"id": e.lesson_id, "title": e.lesson.title},
                "kind": e.kind,
                "note": e.note,
                "created_at": exported_time(e.created_at),
            }
            for e in Endorsement.objects.filter(user=user).select_related("lesson").order_by("pk")
        ],
    }
