"""Every write about lessons. Same habits as networks/services/: keyword-only arguments, the
acting user, one transaction, the policy checked here too, audit events for audiences,
attribution and moderation."""

from datetime import timedelta

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from lessons import access, events
from lessons.files import files_removed_on_failure
from lessons.models import (
    Attachment,
    Audience,
    AudienceRequest,
    Endorsement,
    Lesson,
    LessonRevision,
    Tag,
    normalise_tag,
)
from networks import access as network_access
from networks.services import ActionRefused, audit_record

WITHDRAWN_KEPT_DAYS = settings.WITHDRAWN_LESSON_KEPT_DAYS

# The text fields a revision keeps and an edit may change.
CONTENT_FIELDS = ["title", "summary", *Lesson.SECTIONS]
CONTEXT_FIELDS = [
    "organisation",
    "technology_area",
    "policy_area",
    "stage",
    "year",
    "outcome",
    "language",
]


class EditConflict(Exception):
    """Someone saved the lesson after this edit began; nothing was written."""

    def __init__(self, current):
        super().__init__("edit conflict")
        self.current = current


def _snapshot(lesson):
    content = {field: getattr(lesson, field) for field in CONTENT_FIELDS}
    content["tags"] = sorted(lesson.tags.values_list("name", flat=True))
    return content


def _set_tags(lesson, names):
    tags = []
    for name in {normalise_tag(name) for name in names} - {""}:
        tag, _created = Tag.objects.get_or_create(name=name)
        tags.append(tag)
    lesson.tags.set(tags)


def _check_sections(data):
    if not (data.get("worked") or "").strip() or not (data.get("did_not_work") or "").strip():
        raise ActionRefused(
            _("A lesson says something under both “what worked” and “what didn’t”.")
        )


@transaction.atomic
def lesson_create(*, acting_user, network, working_group=None, data, tags=(), creation_token=None):
    """A new draft in the author's home space. `data` holds the form's fields."""
    if not network_access.is_member(acting_user, network):
        raise PermissionDenied
    if working_group is not None and (
        working_group.network_id != network.pk
        or not network_access.can_enter_working_group(acting_user, working_group)
    ):
        raise PermissionDenied
    if creation_token is not None:
        existing = Lesson.objects.filter(creation_token=creation_token).first()
        if existing is not None:
            if existing.author_id != acting_user.pk:
                raise PermissionDenied
            return existing  # a double submit: the first one made it
    home = Audience.GROUP if working_group else Audience.NETWORK
    fields = {key: value for key, value in data.items() if key in CONTENT_FIELDS + CONTEXT_FIELDS}
    lesson = Lesson(
        network=network,
        working_group=working_group,
        author=acting_user,
        author_country=acting_user.country,
        audience=home,
        attribution=data.get("attribution") or network.default_attribution,
        creation_token=creation_token,
        **fields,
    )
    try:
        with transaction.atomic():
            lesson.save()
    except IntegrityError:
        # Two submits raced: the other one created it.
        return Lesson.objects.get(creation_token=creation_token)
    _set_tags(lesson, tags)
    events.lessons_changed.send(sender=Lesson, lesson_ids=[lesson.pk])
    wanted = data.get("audience")
    if wanted and wanted != home:
        _change_audience(acting_user, lesson, wanted)
    return lesson


@transaction.atomic
def lesson_update(*, acting_user, lesson, data, tags, version):
    """Save an edit made from `version`. A published lesson keeps a revision of its old text."""
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    if not access.can_edit_lesson(acting_user, lesson):
        raise PermissionDenied
    if lesson.version != version:
        raise EditConflict(lesson)
    before = _snapshot(lesson)
    for field in CONTENT_FIELDS + CONTEXT_FIELDS:
        if field in data:
            setattr(lesson, field, data[field])
    if lesson.state != Lesson.State.DRAFT:
        _check_sections({"worked": lesson.worked, "did_not_work": lesson.did_not_work})
    if data.get("attribution") and data["attribution"] != lesson.attribution:
        audit_record(
            actor=acting_user,
            action="lesson.attribution",
            network=lesson.network,
            target=lesson,
            changes={"from": lesson.attribution, "to": data["attribution"]},
        )
        lesson.attribution = data["attribution"]
    lesson.version = F("version") + 1
    lesson.updated_at = timezone.now()
    lesson.save()
    lesson.refresh_from_db()
    _set_tags(lesson, tags)
    events.lessons_changed.send(sender=Lesson, lesson_ids=[lesson.pk])
    if lesson.is_published and _snapshot(lesson) != before:
        number = lesson.revisions.count() + 1
        LessonRevision.objects.create(
            lesson=lesson, number=number, editor=acting_user, content=before
        )
    wanted = data.get("audience")
    if wanted and wanted != lesson.audience:
        _change_audience(acting_user, lesson, wanted)
    return lesson


@transaction.atomic
def lesson_publish(*, acting_user, lesson):
    """Publish a draft, or send it for review where the network asks for review."""
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    if not access.can_edit_lesson(acting_user, lesson):
        raise PermissionDenied
    if lesson.state != Lesson.State.DRAFT:
        raise ActionRefused(_("Only a draft can be published."))
    _check_sections({"worked": lesson.worked, "did_not_work": lesson.did_not_work})
    if lesson.network.requires_review:
        lesson.state = Lesson.State.IN_REVIEW
        lesson.save(update_fields=["state"])
        return lesson
    lesson.state = Lesson.State.PUBLISHED
    lesson.published_at = timezone.now()
    lesson.review_message = ""
    lesson.save(update_fields=["state", "published_at", "review_message"])
    _announce(lesson)
    return lesson


def _announce(lesson, *, approved_by=None):
    """A lesson is published: its author follows its discussion, its readers hear of it."""
    events.lesson_published.send(sender=Lesson, lesson=lesson, approved_by=approved_by)


@transaction.atomic
def lesson_review_approve(*, acting_user, lesson):
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    if not access.can_moderate_lesson(acting_user, lesson):
        raise PermissionDenied
    if lesson.state != Lesson.State.IN_REVIEW:
        raise ActionRefused(_("This lesson is not waiting for review."))
    lesson.state = Lesson.State.PUBLISHED
    lesson.published_at = timezone.now()
    lesson.review_message = ""
    lesson.save(update_fields=["state", "published_at", "review_message"])
    audit_record(actor=acting_user, action="lesson.approve", network=lesson.network, target=lesson)
    events.moderation_decided.send(
        sender=Lesson, moderator=acting_user, decision="lesson.approve", lesson=lesson
    )
    _announce(lesson, approved_by=acting_user)
    return lesson


@transaction.atomic
def lesson_review_return(*, acting_user, lesson, message):
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    if not access.can_moderate_lesson(acting_user, lesson):
        raise PermissionDenied
    if lesson.state != Lesson.State.IN_REVIEW:
        raise ActionRefused(_("This lesson is not waiting for review."))
    if not (message or "").strip():
        raise ActionRefused(_("Say what the author should change."))
    lesson.state = Lesson.State.DRAFT
    lesson.review_message = message.strip()
    lesson.save(update_fields=["state", "review_message"])
    audit_record(
        actor=acting_user,
        action="lesson.return",
        network=lesson.network,
        target=lesson,
        changes={"message": lesson.review_message},
    )
    events.moderation_decided.send(
        sender=Lesson,
        moderator=acting_user,
        decision="lesson.return",
        lesson=lesson,
        reason=lesson.review_message,
    )
    return lesson


@transaction.atomic
def lesson_withdraw(*, acting_user, lesson):
    """Hide the lesson everywhere; its author or a moderator may restore it for 30 days."""
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    if not access.can_withdraw(acting_user, lesson):
        raise PermissionDenied
    previous = lesson.state
    lesson.state = Lesson.State.WITHDRAWN
    lesson.withdrawn_at = timezone.now()
    lesson.save(update_fields=["state", "withdrawn_at"])
    audit_record(
        actor=acting_user,
        action="lesson.withdraw",
        network=lesson.network,
        target=lesson,
        changes={"state": previous},
    )
    if acting_user.pk != lesson.author_id:
        events.moderation_decided.send(
            sender=Lesson, moderator=acting_user, decision="lesson.withdraw", lesson=lesson
        )
    purge_at = lesson.withdrawn_at + timedelta(days=WITHDRAWN_KEPT_DAYS)
    lesson_id = lesson.pk
    transaction.on_commit(
        lambda: purge_withdrawn_lesson.using(run_after=purge_at).enqueue(lesson_id=lesson_id)
    )
    return lesson


@transaction.atomic
def lesson_restore(*, acting_user, lesson):
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    if not access.can_restore(acting_user, lesson):
        raise PermissionDenied
    lesson.state = Lesson.State.PUBLISHED if lesson.published_at else Lesson.State.DRAFT
    lesson.withdrawn_at = None
    lesson.save(update_fields=["state", "withdrawn_at"])
    audit_record(actor=acting_user, action="lesson.restore", network=lesson.network, target=lesson)
    if acting_user.pk != lesson.author_id:
        events.moderation_decided.send(
            sender=Lesson, moderator=acting_user, decision="lesson.restore", lesson=lesson
        )
    return lesson


@task()
def purge_withdrawn_lesson(*, lesson_id):
    """Delete a lesson withdrawn more than 30 days ago (scheduled when it was withdrawn)."""
    return purge_withdrawn_lessons(lesson_ids=[lesson_id])


@transaction.atomic
def purge_withdrawn_lessons(*, lesson_ids=None):
    cutoff = timezone.now() - timedelta(days=WITHDRAWN_KEPT_DAYS)
    lessons = Lesson.objects.filter(state=Lesson.State.WITHDRAWN, withdrawn_at__lte=cutoff)
    if lesson_ids is not None:
        lessons = lessons.filter(pk__in=lesson_ids)
    purged = 0
    for lesson in lessons.select_related("network"):
        audit_record(
            actor=None,
            action="lesson.purge",
            network=lesson.network,
            changes={"lesson": lesson.pk, "title": lesson.title},
        )
        lesson.delete()  # its attachments' files go once this commits (lessons.files)
        purged += 1
    return purged


# Audience: narrowing is immediate; widening needs the author and a moderator.


def _change_audience(acting_user, lesson, wanted):
    if wanted not in [
        a.value for a in access.audience_choices(in_working_group=bool(lesson.working_group_id))
    ]:
        raise ActionRefused(_("That audience is not available for this lesson."))
    current = Audience(lesson.audience)
    target = Audience(wanted)
    if target.rank <= current.rank:
        lesson.audience = target
        lesson.save(update_fields=["audience"])
        AudienceRequest.objects.filter(lesson=lesson, state=AudienceRequest.State.PENDING).update(
            state=AudienceRequest.State.DECLINED, decided_by=acting_user, decided_at=timezone.now()
        )
        audit_record(
            actor=acting_user,
            action="lesson.audience_narrow",
            network=lesson.network,
            target=lesson,
            changes={"from": current.value, "to": target.value},
        )
        return None
    pending = AudienceRequest.objects.filter(
        lesson=lesson, state=AudienceRequest.State.PENDING
    ).first()
    if pending is not None:
        if pending.audience == target and pending.requested_by_id != acting_user.pk:
            return _decide(acting_user, pending, approve=True)
        pending.state = AudienceRequest.State.DECLINED
        pending.decided_by = acting_user
        pending.decided_at = timezone.now()
        pending.save(update_fields=["state", "decided_by", "decided_at"])
    request = AudienceRequest.objects.create(
        lesson=lesson, audience=target, requested_by=acting_user
    )
    audit_record(
        actor=acting_user,
        action="lesson.audience_request",
        network=lesson.network,
        target=lesson,
        changes={"from": current.value, "to": target.value},
    )
    events.audience_requested.send(sender=AudienceRequest, request=request)
    return request


@transaction.atomic
def lesson_change_audience(*, acting_user, lesson, audience):
    """Narrow at once, or ask to widen (the other party decides). Returns a pending request."""
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    if not access.can_change_audience(acting_user, lesson):
        raise PermissionDenied
    return _change_audience(acting_user, lesson, audience)


def _decide(acting_user, request, *, approve):
    lesson = request.lesson
    author_asked = request.requested_by_id == lesson.author_id
    if author_asked:
        allowed = access.can_moderate_lesson(acting_user, lesson)
    else:
        allowed = access.can_edit_lesson(acting_user, lesson)
    if not allowed or acting_user.pk == request.requested_by_id:
        raise PermissionDenied
    request.state = AudienceRequest.State.APPROVED if approve else AudienceRequest.State.DECLINED
    request.decided_by = acting_user
    request.decided_at = timezone.now()
    request.save(update_fields=["state", "decided_by", "decided_at"])
    changes = {"from": lesson.audience, "to": request.audience}
    if approve:
        lesson.audience = request.audience
        lesson.save(update_fields=["audience"])
    audit_record(
        actor=acting_user,
        action="lesson.audience_widen" if approve else "lesson.audience_decline",
        network=lesson.network,
        target=lesson,
        changes=changes,
    )
    events.audience_decided.send(sender=AudienceRequest, request=request)
    return request


@transaction.atomic
def audience_request_decide(*, acting_user, request, approve):
    request = (
        AudienceRequest.objects.select_for_update().select_related("lesson").get(pk=request.pk)
    )
    if request.state != AudienceRequest.State.PENDING:
        raise ActionRefused(_("This request has already been decided."))
    return _decide(acting_user, request, approve=approve)


# Endorsements


@transaction.atomic
def endorsement_toggle(*, acting_user, lesson, kind, note=""):
    """Mark or unmark the lesson with one kind of endorsement. Returns True when now marked."""
    if not access.can_endorse(acting_user, lesson):
        raise PermissionDenied
    if kind not in Endorsement.Kind.values:
        raise ActionRefused(_("That endorsement does not exist."))
    existing = Endorsement.objects.filter(lesson=lesson, user=acting_user, kind=kind)
    if existing.exists() and not note:
        existing.delete()
        return False
    Endorsement.objects.update_or_create(
        lesson=lesson, user=acting_user, kind=kind, defaults={"note": (note or "").strip()[:1000]}
    )
    return True


# Attachments

ALLOWED_ATTACHMENT_TYPES = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
}


def attachment_type(upload):
    """The file's type read from its content (never from its name), or None if not allowed."""
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        return None
    return kind.mime if kind.mime in ALLOWED_ATTACHMENT_TYPES else None


@transaction.atomic
def attachment_add(*, acting_user, lesson, upload):
    if not access.can_edit_lesson(acting_user, lesson):
        raise PermissionDenied
    limit = settings.ATTACHMENT_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ActionRefused(
            _("The file is larger than %(limit)s MB.") % {"limit": settings.ATTACHMENT_MAX_MB}
        )
    content_type = attachment_type(upload)
    if content_type is None:
        raise ActionRefused(_("Attach a PDF, an image or an office document."))
    name = (upload.name or "attachment").rsplit("/", 1)[-1][:200]
    attachment = Attachment(
        lesson=lesson,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=acting_user,
    )
    attachment.file.save("upload", upload, save=False)
    with files_removed_on_failure(attachment.file):
        attachment.save()
    return attachment


@transaction.atomic
def attachment_remove(*, acting_user, attachment):
    if not access.can_edit_lesson(acting_user, attachment.lesson):
        raise PermissionDenied
    attachment.delete()  # its file goes once this commits (lessons.files)
