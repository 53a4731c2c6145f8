"""Moderation services: flags, hiding, featuring, closing discussions, taxonomy and tags,
moderators' notes. Collections and briefs are in moderation/curation.py.

Same habits as lessons/services.py: keyword-only arguments, the acting user, one transaction,
the policy checked here too, one audit event for each act, and the author told of what
affects them.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from discussion import access as discussion_access
from discussion import services as discussion
from lessons import access as lesson_access
from lessons import events as lesson_events
from lessons.models import Lesson, Tag, normalise_tag
from moderation.models import Flag, ModeratorNote
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
        lesson.hidden_reason = ngettext(
            "Flagged by %(count)s member; waiting for a moderator.",
            "Flagged by %(count)s members; waiting for a moderator.",
            reporters,
        ) % {"count": reporters}
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
        comment.hidden_reason = ngettext(
            "Flagged by %(count)s member; waiting for a moderator.",
            "Flagged by %(count)s members; waiting for a moderator.",
            reporters,
        ) % {"count": reporters}
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
