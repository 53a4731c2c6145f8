"""Moderation and curation services: flags, hiding, featuring, taxonomy, collections, briefs.

Same habits as lessons/services.py: keyword-only arguments, the acting user, one transaction,
the policy checked here too, one audit event for each act, and the author told of what
affects them.
"""

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from discussion import access as discussion_access
from discussion import services as discussion
from lessons import access as lesson_access
from lessons import events as lesson_events
from lessons.models import Audience, Lesson, Tag, normalise_tag
from lessons.services import files_removed_on_failure
from moderation import access, briefs
from moderation.models import Brief, Collection, CollectionItem, Flag, ModeratorNote
from networks import access as network_access
from networks.services import ActionRefused, audit_record
from search import index as search_index


def tell_author(lesson, *, decision, moderator=None, reason=""):
    """Tell a lesson's author what a moderator decided (in the app, and by email as they
    chose: notifications/services.py)."""
    lesson_events.moderation_decided.send(
        sender=Lesson, moderator=moderator, decision=decision, lesson=lesson, reason=reason
    )


def _require_moderator(acting_user, network):
    if not network_access.can_moderate(acting_user, network):
        raise PermissionDenied


def _require_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Give a reason: the author is told of it."))
    return reason[:500]


def _locked(lesson):
    return Lesson.objects.select_for_update().select_related("network", "author").get(pk=lesson.pk)


# Flags


@transaction.atomic
def flag_raise(*, acting_user, lesson, reason, note=""):
    """A reader reports a lesson. Past the network's threshold of distinct members, it hides."""
    lesson = _locked(lesson)
    if not lesson_access.can_flag(acting_user, lesson):
        raise PermissionDenied
    if reason not in Flag.Reason.values:
        raise ActionRefused(_("Choose a reason."))
    open_flags = lesson.flags.filter(resolved_at__isnull=True)
    flag = open_flags.filter(reporter=acting_user).first()
    if flag is not None:
        return flag  # one person's repeated flags count once
    flag = Flag.objects.create(
        lesson=lesson, reporter=acting_user, reason=reason, note=(note or "").strip()[:1000]
    )
    audit_record(
        actor=acting_user,
        action="lesson.flag",
        network=lesson.network,
        target=lesson,
        changes={"reason": reason},
    )
    reporters = open_flags.values("reporter").distinct().count()
    if not lesson.is_hidden and reporters >= lesson.network.flag_threshold:
        lesson.is_hidden = True
        lesson.hidden_reason = _("Flagged by %(count)s members; waiting for a moderator.") % {
            "count": reporters
        }
        lesson.save(update_fields=["is_hidden", "hidden_reason"])
        audit_record(
            actor=None,
            action="lesson.hide_by_flags",
            network=lesson.network,
            target=lesson,
            changes={"flags": reporters},
        )
        tell_author(lesson, decision="lesson.hide_by_flags", reason=lesson.hidden_reason)
    return flag


@transaction.atomic
def lesson_hide(*, acting_user, lesson, reason):
    lesson = _locked(lesson)
    _require_moderator(acting_user, lesson.network)
    reason = _require_reason(reason)
    if lesson.is_hidden:
        raise ActionRefused(_("This lesson is already hidden."))
    lesson.is_hidden = True
    lesson.hidden_reason = reason
    lesson.save(update_fields=["is_hidden", "hidden_reason"])
    audit_record(
        actor=acting_user,
        action="lesson.hide",
        network=lesson.network,
        target=lesson,
        changes={"reason": reason},
    )
    tell_author(lesson, decision="lesson.hide", moderator=acting_user, reason=reason)
    return lesson


@transaction.atomic
def lesson_unhide(*, acting_user, lesson, reason=""):
    """Restore a hidden or flagged lesson: it shows again and its open flags are resolved."""
    lesson = _locked(lesson)
    _require_moderator(acting_user, lesson.network)
    open_flags = lesson.flags.filter(resolved_at__isnull=True)
    if not lesson.is_hidden and not open_flags.exists():
        raise ActionRefused(_("This lesson is neither hidden nor flagged."))
    resolved = open_flags.update(resolved_at=timezone.now(), resolved_by=acting_user)
    was_hidden = lesson.is_hidden
    lesson.is_hidden = False
    lesson.hidden_reason = ""
    lesson.save(update_fields=["is_hidden", "hidden_reason"])
    audit_record(
        actor=acting_user,
        action="lesson.restore_from_moderation",
        network=lesson.network,
        target=lesson,
        changes={"flags_resolved": resolved, "was_hidden": was_hidden, "reason": reason},
    )
    if was_hidden:
        tell_author(lesson, decision="lesson.unhide", moderator=acting_user, reason=reason)
    return lesson


@transaction.atomic
def lesson_comments_lock(*, acting_user, lesson, locked, reason=""):
    """Close a lesson's discussion (no new comments, replies or edits), or reopen it. Closing
    needs a reason: the author is told."""
    lesson = _locked(lesson)
    _require_moderator(acting_user, lesson.network)
    if locked:
        reason = _require_reason(reason)
        if not lesson.is_published:
            raise ActionRefused(_("Only a published lesson has a discussion to close."))
    else:
        reason = (reason or "").strip()[:500]
    if lesson.comments_locked == locked:
        raise ActionRefused(
            _("Comments on this lesson are already closed.")
            if locked
            else _("Comments on this lesson are already open.")
        )
    lesson.comments_locked = locked
    lesson.save(update_fields=["comments_locked"])
    decision = "comments.lock" if locked else "comments.unlock"
    audit_record(
        actor=acting_user,
        action=decision,
        network=lesson.network,
        target=lesson,
        changes={"reason": reason},
    )
    tell_author(lesson, decision=decision, moderator=acting_user, reason=reason)
    return lesson


# Comments: flags, hiding and restoring. A comment's network is its lesson's; each service
# locks the comment as discussion.py's do (discussion._locked_comment).


def _tell_comment_author(comment, *, decision, moderator=None, reason=""):
    lesson_events.moderation_decided.send(
        sender=Lesson, moderator=moderator, decision=decision, comment=comment, reason=reason
    )


@transaction.atomic
def comment_flag_raise(*, acting_user, comment, reason, note=""):
    """A reader reports a comment. Past the network's threshold of distinct members, it hides
    pending a moderator's review (once)."""
    comment = discussion._locked_comment(comment)
    if not discussion_access.can_flag_comment(acting_user, comment):
        raise PermissionDenied
    if reason not in Flag.Reason.values:
        raise ActionRefused(_("Choose a reason."))
    network = comment.lesson.network
    open_flags = comment.flags.filter(resolved_at__isnull=True)
    flag = open_flags.filter(reporter=acting_user).first()
    if flag is not None:
        return flag  # one person's repeated flags count once
    flag = Flag.objects.create(
        comment=comment, reporter=acting_user, reason=reason, note=(note or "").strip()[:1000]
    )
    audit_record(  # of the lesson: the reporter's own record does not name the comment's author
        actor=acting_user,
        action="comment.flag",
        network=network,
        target=comment.lesson,
        changes={"comment": comment.pk, "reason": reason},
    )
    reporters = open_flags.values("reporter").distinct().count()
    if not comment.is_hidden and reporters >= network.flag_threshold:
        comment.is_hidden = True
        comment.hidden_by = None
        comment.hidden_reason = _("Flagged by %(count)s members; waiting for a moderator.") % {
            "count": reporters
        }
        comment.save(update_fields=["is_hidden", "hidden_by", "hidden_reason"])
        audit_record(
            actor=None,
            action="comment.hide_by_flags",
            network=network,
            target=comment,
            changes={"flags": reporters},
        )
        _tell_comment_author(
            comment, decision="comment.hide_by_flags", reason=comment.hidden_reason
        )
    return flag


def _resolve_flags(comment, acting_user):
    return comment.flags.filter(resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=acting_user
    )


def _decide_comment(comment, *, acting_user, hidden, reason):
    """Hide or show a comment as a moderator decided: its open flags are resolved, the
    decision audited, and its author told."""
    comment.is_hidden = hidden
    comment.hidden_by = acting_user if hidden else None
    comment.hidden_reason = reason if hidden else ""
    comment.save(update_fields=["is_hidden", "hidden_by", "hidden_reason"])
    resolved = _resolve_flags(comment, acting_user)
    decision = "comment.hide" if hidden else "comment.restore"
    audit_record(
        actor=acting_user,
        action=decision,
        network=comment.lesson.network,
        target=comment,
        changes={"reason": reason, "flags_resolved": resolved},
    )
    _tell_comment_author(comment, decision=decision, moderator=acting_user, reason=reason)
    return comment


@transaction.atomic
def comment_hide(*, acting_user, comment, reason):
    """A moderator hides a comment (or confirms what flags hid): members see "hidden by a
    moderator", the moderators still read it. Its open flags are resolved."""
    comment = discussion._locked_comment(comment)
    _require_moderator(acting_user, comment.lesson.network)
    reason = _require_reason(reason)
    if comment.is_deleted:
        raise ActionRefused(_("Its author deleted this comment."))
    if comment.is_hidden and comment.hidden_by_id is not None:
        raise ActionRefused(_("This comment is already hidden."))
    return _decide_comment(comment, acting_user=acting_user, hidden=True, reason=reason)


@transaction.atomic
def comment_restore(*, acting_user, comment, reason):
    """A hidden comment shows again; its open flags are resolved."""
    comment = discussion._locked_comment(comment)
    _require_moderator(acting_user, comment.lesson.network)
    reason = _require_reason(reason)
    if not comment.is_hidden:
        raise ActionRefused(_("This comment is not hidden."))
    return _decide_comment(comment, acting_user=acting_user, hidden=False, reason=reason)


@transaction.atomic
def comment_flags_dismiss(*, acting_user, comment, reason=""):
    """The flags on a comment that stays shown are unfounded: they are resolved. Its author
    was never told of them, so is not told of this either."""
    comment = discussion._locked_comment(comment)
    _require_moderator(acting_user, comment.lesson.network)
    if comment.is_hidden:
        raise ActionRefused(_("This comment is hidden: show it again, or keep it hidden."))
    resolved = _resolve_flags(comment, acting_user)
    if not resolved:
        raise ActionRefused(_("No flag on this comment is open."))
    audit_record(
        actor=acting_user,
        action="comment.flags_dismiss",
        network=comment.lesson.network,
        target=comment,
        changes={"flags_resolved": resolved, "reason": (reason or "").strip()[:500]},
    )
    return resolved


@transaction.atomic
def lesson_feature(*, acting_user, lesson, featured):
    lesson = _locked(lesson)
    _require_moderator(acting_user, lesson.network)
    if not lesson.is_published:
        raise ActionRefused(_("Only a published lesson can be featured."))
    if lesson.is_featured == featured:
        raise ActionRefused(_("Nothing to change."))
    lesson.is_featured = featured
    lesson.save(update_fields=["is_featured"])
    audit_record(
        actor=acting_user,
        action="lesson.feature" if featured else "lesson.unfeature",
        network=lesson.network,
        target=lesson,
    )
    if featured:
        tell_author(lesson, decision="lesson.feature", moderator=acting_user)
    return lesson


@transaction.atomic
def lesson_correct_taxonomy(*, acting_user, lesson, technology_area, policy_area, tags, reason):
    lesson = _locked(lesson)
    _require_moderator(acting_user, lesson.network)
    reason = _require_reason(reason)
    before = {
        "technology_area": str(lesson.technology_area or ""),
        "policy_area": str(lesson.policy_area or ""),
        "tags": sorted(lesson.tags.values_list("name", flat=True)),
    }
    lesson.technology_area = technology_area
    lesson.policy_area = policy_area
    lesson.save(update_fields=["technology_area", "policy_area"])
    names = sorted({normalise_tag(name) for name in tags} - {""})
    lesson.tags.set([Tag.objects.get_or_create(name=name)[0] for name in names])
    search_index.reindex_lessons([lesson.pk])
    after = {
        "technology_area": str(technology_area or ""),
        "policy_area": str(policy_area or ""),
        "tags": names,
    }
    audit_record(
        actor=acting_user,
        action="lesson.taxonomy",
        network=lesson.network,
        target=lesson,
        changes={"from": before, "to": after, "reason": reason},
    )
    tell_author(lesson, decision="lesson.taxonomy", moderator=acting_user, reason=reason)
    return lesson


@transaction.atomic
def tags_merge(*, acting_user, network, source, target):
    """Merge a duplicate tag into another, in this network's lessons."""
    _require_moderator(acting_user, network)
    source, target = normalise_tag(source), normalise_tag(target)
    if not source or not target or source == target:
        raise ActionRefused(_("Name two different tags."))
    source_tag = Tag.objects.filter(name=source).first()
    if source_tag is None:
        raise ActionRefused(_("No lesson of this network has that tag."))
    target_tag, _created = Tag.objects.get_or_create(name=target)
    lessons = list(Lesson.objects.filter(network=network, tags=source_tag))
    if not lessons:
        raise ActionRefused(_("No lesson of this network has that tag."))
    for lesson in lessons:
        lesson.tags.remove(source_tag)
        lesson.tags.add(target_tag)
    search_index.reindex_lessons([lesson.pk for lesson in lessons])
    audit_record(
        actor=acting_user,
        action="tags.merge",
        network=network,
        changes={"from": source, "to": target, "lessons": len(lessons)},
    )
    return len(lessons)


@transaction.atomic
def moderator_note_add(*, acting_user, lesson, body):
    _require_moderator(acting_user, lesson.network)
    body = (body or "").strip()
    if not body:
        raise ActionRefused(_("Write the note first."))
    note = ModeratorNote.objects.create(lesson=lesson, author=acting_user, body=body[:2000])
    audit_record(actor=acting_user, action="lesson.note", network=lesson.network, target=lesson)
    return note


# Collections


@transaction.atomic
def collection_create(*, acting_user, network, title, introduction="", audience):
    _require_moderator(acting_user, network)
    if audience not in (Audience.NETWORK, Audience.ALL_NETWORKS, Audience.PUBLIC):
        raise ActionRefused(_("That audience is not available for a collection."))
    base = slugify(title)[:90] or "collection"
    if base == "new":  # the address of the form that makes collections
        base = "new-collection"
    slug, number = base, 1
    while Collection.objects.filter(network=network, slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    collection = Collection.objects.create(
        network=network,
        title=title.strip()[:200],
        slug=slug,
        introduction=(introduction or "").strip(),
        audience=audience,
        created_by=acting_user,
    )
    audit_record(actor=acting_user, action="collection.create", network=network, target=collection)
    return collection


@transaction.atomic
def collection_update(*, acting_user, collection, title, introduction, audience):
    _require_moderator(acting_user, collection.network)
    if audience not in (Audience.NETWORK, Audience.ALL_NETWORKS, Audience.PUBLIC):
        raise ActionRefused(_("That audience is not available for a collection."))
    changes = {}
    if collection.audience != audience:
        changes["audience"] = {"from": collection.audience, "to": audience}
    collection.title = title.strip()[:200]
    collection.introduction = (introduction or "").strip()
    collection.audience = audience
    collection.save(update_fields=["title", "introduction", "audience"])
    audit_record(
        actor=acting_user,
        action="collection.update",
        network=collection.network,
        target=collection,
        changes=changes,
    )
    return collection


@transaction.atomic
def collection_add_lesson(*, acting_user, collection, lesson):
    _require_moderator(acting_user, collection.network)
    if lesson.network_id != collection.network_id or not lesson.is_published:
        raise ActionRefused(_("Only this network’s published lessons can be collected."))
    last = collection.items.aggregate(last=Max("position"))["last"] or 0
    try:
        with transaction.atomic():
            CollectionItem.objects.create(collection=collection, lesson=lesson, position=last + 1)
    except IntegrityError:
        raise ActionRefused(_("This lesson is already in the collection.")) from None
    audit_record(
        actor=acting_user,
        action="collection.add",
        network=collection.network,
        target=collection,
        changes={"lesson": lesson.pk},
    )


@transaction.atomic
def collection_remove_lesson(*, acting_user, collection, lesson):
    _require_moderator(acting_user, collection.network)
    deleted, _rows = CollectionItem.objects.filter(collection=collection, lesson=lesson).delete()
    if not deleted:
        raise ActionRefused(_("This lesson is not in the collection."))
    audit_record(
        actor=acting_user,
        action="collection.remove",
        network=collection.network,
        target=collection,
        changes={"lesson": lesson.pk},
    )


@transaction.atomic
def collection_move(*, acting_user, collection, lesson, direction):
    """Move a lesson one place up or down (ordering that works without JavaScript)."""
    _require_moderator(acting_user, collection.network)
    items = list(collection.items.select_for_update().order_by("position", "pk"))
    index = next((i for i, item in enumerate(items) if item.lesson_id == lesson.pk), None)
    if index is None:
        raise ActionRefused(_("This lesson is not in the collection."))
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    audit_record(
        actor=acting_user,
        action="collection.reorder",
        network=collection.network,
        target=collection,
        changes={"lesson": lesson.pk, "direction": direction},
    )


# Briefs


@transaction.atomic
def brief_export(
    *, acting_user, network, title, audience, collection=None, lessons=None, filters=None
):
    """Export a collection's lessons, or lessons matching filters, as a brief in four formats.

    Only lessons whose audience reaches `audience` go in, with each lesson's attribution for
    readers outside the network. No comment, moderator note or flag is ever part of a brief."""
    _require_moderator(acting_user, network)
    if audience not in (Audience.ALL_NETWORKS, Audience.PUBLIC, Audience.NETWORK):
        raise ActionRefused(_("That audience is not available for a brief."))
    eligible = access.brief_lessons(network, audience)
    if collection is not None:
        if collection.network_id != network.pk:
            raise PermissionDenied
        positions = {item.lesson_id: item.position for item in collection.items.all()}
        chosen = sorted(
            eligible.filter(pk__in=positions), key=lambda lesson: (positions[lesson.pk], lesson.pk)
        )
    else:
        chosen = list(
            (lessons if lessons is not None else eligible)
            .filter(pk__in=eligible.values("pk"))
            .order_by("-published_at", "pk")
        )
    if not chosen:
        raise ActionRefused(_("No lesson reaches that audience: the brief would be empty."))
    title = (title or "").strip()[:200] or _("Brief")
    document = briefs.build(network=network, title=title, audience=audience, lessons=chosen)
    brief = Brief(
        network=network,
        title=title,
        audience=audience,
        collection=collection,
        filters=filters or {},
        lesson_count=len(chosen),
        created_by=acting_user,
    )
    stem = slugify(title) or "brief"
    with files_removed_on_failure(brief.pdf, brief.markdown, brief.csv, brief.json):
        brief.pdf.save(f"{stem}.pdf", ContentFile(briefs.to_pdf(document)), save=False)
        brief.markdown.save(
            f"{stem}.md", ContentFile(briefs.to_markdown(document).encode()), save=False
        )
        brief.csv.save(f"{stem}.csv", ContentFile(briefs.to_csv(document).encode()), save=False)
        brief.json.save(f"{stem}.json", ContentFile(briefs.to_json(document).encode()), save=False)
        brief.save()
        audit_record(
            actor=acting_user,
            action="brief.export",
            network=network,
            target=brief,
            changes={"audience": audience, "lessons": [lesson.pk for lesson in chosen]},
        )
    return brief
