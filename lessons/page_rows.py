"""What the lesson page reads of a lesson, in as few queries as the page allows, the same number
whatever the lesson holds: its row with its network, author and areas, and beside it (one query)
its tags, attachments, pending request for a wider audience and endorsement counts; the latest
endorsers and "applied" notes in one query; the related lessons with their tags in one."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import JSONObject

from lessons import access
from lessons.models import Attachment, AudienceRequest, Endorsement, Lesson, Tag
from minilateral.rows import instances, rows_beside


def read_lesson_row(pk):
    """The lesson with everything beside it that its page shows, or None."""
    counts = (
        Endorsement.objects.filter(lesson=OuterRef("pk"))
        .order_by()
        .values("lesson")
        .annotate(
            counts=JSONObject(
                **{kind.value: Count("pk", filter=Q(kind=kind)) for kind in Endorsement.Kind}
            )
        )
        .values("counts")
    )
    pending = AudienceRequest.objects.filter(
        lesson=OuterRef("pk"), state=AudienceRequest.State.PENDING
    ).order_by("pk")[:1]
    return (
        Lesson.objects.select_related(*access.LESSON_CONTEXT)
        .defer("search_vector", "search_tags")
        .annotate(
            page_tags=rows_beside(Tag.objects.filter(lessons=OuterRef("pk")).order_by("name")),
            page_attachments=rows_beside(
                Attachment.objects.filter(lesson=OuterRef("pk")).order_by("created_at", "pk")
            ),
            page_pending=rows_beside(pending),
            page_counts=Subquery(counts),
        )
        .filter(pk=pk)
        .order_by("pk")
        .first()
    )


def tags_of(lesson):
    return instances(Tag, lesson.page_tags)


def attachments_of(lesson):
    return instances(Attachment, lesson.page_attachments)


def pending_request_of(lesson):
    return next(iter(instances(AudienceRequest, lesson.page_pending)), None)


def endorsement_counts_of(lesson):
    counted = lesson.page_counts or {}
    return {kind: counted.get(kind.value, 0) for kind in Endorsement.Kind}


def latest_endorsements(lesson, shown):
    """The latest `shown` endorsements and the latest `shown` "applied" ones, in one query:
    the union of the two, newest first. The first `shown` rows are the latest of all; the
    "applied" rows among them all are the latest "applied" ones (an "applied" endorsement
    among the latest of all is among the latest "applied")."""
    newest = ("-created_at", "-pk")
    latest = lesson.endorsements.order_by(*newest)
    rows = list(
        latest.filter(
            Q(pk__in=latest.values("pk")[:shown])
            | Q(pk__in=latest.filter(kind=Endorsement.Kind.APPLIED).values("pk")[:shown])
        ).select_related("user", "user__country")
    )
    applied = [row for row in rows if row.kind == Endorsement.Kind.APPLIED][:shown]
    return rows[:shown], applied


def with_tags(lessons):
    """The lessons of a queryset, each with its tags read beside it (no query of their own:
    `lesson.tags.all()` answers from them)."""
    rows = list(
        lessons.annotate(
            card_tags=rows_beside(Tag.objects.filter(lessons=OuterRef("pk")).order_by("name"))
        )
    )
    for lesson in rows:
        tags = lesson.tags.all()
        tags._result_cache = instances(Tag, lesson.card_tags)
        tags._prefetch_done = True
        lesson._prefetched_objects_cache = {"tags": tags}
    return rows
