"""Every write about the discussion of a lesson: comments and replies, their edits and deletion,
following. The habits of every service: keyword-only arguments, the acting user, one
transaction, the policy checked here too; what happened is announced (discussion/events.py) for
search and notifications.

The discussion never leaves the home space: every service asks `lesson_access.is_inside_home_space`
(through `can_comment` and friends), and notifications go only to those inside it.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from discussion import access, events
from discussion.models import COMMENT_MAX_LENGTH, Comment, CommentRevision, Follow
from lessons import access as lesson_access
from lessons.models import Lesson
from networks.services import ActionRefused

# "@" starts a mention where it does not continue a word (an email address is no mention).
_MENTION_START = re.compile(r"(?<![\w@])@(?=\w)")
_FIRST_WORD = re.compile(r"[\w.'’-]+")


def _fold(text):
    """Case and accents set aside: "@joao silva" mentions João Silva."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def find_mentions(body, candidates):
    """The officials among `candidates` whom `body` mentions ("@" and their full name, in any
    case, with or without accents), and the mentions that matched none of them ("@Priya"), in
    order."""
    names = sorted(
        ((_fold(user.get_full_name()), user) for user in candidates if user.full_name),
        key=lambda pair: -len(pair[0]),
    )
    found, unmatched = {}, []
    for start in _MENTION_START.finditer(body or ""):
        rest = body[start.end() :]
        folded = _fold(rest)
        for name, user in names:
            after = folded[len(name) : len(name) + 1]
            if folded.startswith(name) and not (after.isalnum() or after == "_"):
                found.setdefault(user.pk, user)
                break
        else:
            label = "@" + _FIRST_WORD.match(rest).group(0).rstrip(".'’-")
            if label not in unmatched:
                unmatched.append(label)
    return list(found.values()), unmatched


def _clean_body(body):
    body = (body or "").strip()
    if not body:
        raise ActionRefused(_("Write your comment before posting it."))
    if len(body) > COMMENT_MAX_LENGTH:
        raise ActionRefused(
            _("Keep your comment to %(limit)s characters or fewer (it has %(count)s).")
            % {"limit": f"{COMMENT_MAX_LENGTH:,}", "count": f"{len(body):,}"}
        )
    return body


def _fresh(lesson):
    """The lesson as it is now (a moderator may have just closed its comments)."""
    return Lesson.objects.select_related("network", "working_group").get(pk=lesson.pk)


def _refuse_unless_open(acting_user, lesson):
    if not lesson_access.is_inside_home_space(acting_user, lesson):
        raise PermissionDenied
    reason = access.comments_closed_reason(acting_user, lesson)
    if reason:
        raise ActionRefused(reason)


@dataclass
class Posted:
    """What posting did: the comment, and the mentions that reached no one."""

    comment: Comment
    unmatched_mentions: list = field(default_factory=list)
    already_posted: bool = False


@transaction.atomic
def comment_create(*, acting_user, lesson, body, parent=None, creation_token=None):
    """Post a comment on the lesson, or a reply to one of its comments (a reply to a reply
    joins the same thread: one level only). Commenting follows the lesson."""
    lesson = _fresh(lesson)
    if creation_token is not None:
        existing = Comment.objects.filter(creation_token=creation_token).first()
        if existing is not None:
            if existing.author_id != acting_user.pk or existing.lesson_id != lesson.pk:
                raise PermissionDenied
            return Posted(existing, already_posted=True)  # a double submit: the first one made it
    _refuse_unless_open(acting_user, lesson)
    body = _clean_body(body)
    if parent is not None:
        parent = Comment.objects.select_related("author", "parent").get(pk=parent.pk)
        if parent.lesson_id != lesson.pk:
            raise PermissionDenied
        if parent.parent_id is not None:
            parent = parent.parent
        if parent.is_deleted or parent.is_hidden:
            raise ActionRefused(_("That comment can no longer be replied to."))
    mentioned, unmatched = find_mentions(body, lesson_access.home_space_members(lesson))
    comment = Comment(
        lesson=lesson,
        author=acting_user,
        parent=parent,
        body=body,
        creation_token=creation_token,
    )
    try:
        with transaction.atomic():
            comment.save()
    except IntegrityError:
        # Two submits raced: the other one created it.
        return Posted(Comment.objects.get(creation_token=creation_token), already_posted=True)
    events.comments_changed.send(sender=Comment, comment_ids=[comment.pk])
    mentioned = [user for user in mentioned if user.pk != acting_user.pk]
    comment.mentions.set(mentioned)
    follow(acting_user, lesson)
    events.comment_posted.send(sender=Comment, comment=comment, mentioned=mentioned)
    return Posted(comment, unmatched)


def locked_comment(comment):
    """The comment again, locked for the rest of the transaction, with its lesson fresh: the
    services that decide on a comment (here and in moderation) decide on this copy."""
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    locked.lesson = _fresh(comment.lesson)
    return locked


@transaction.atomic
def comment_edit(*, acting_user, comment, body):
    """The author changes their comment; the earlier text is kept as a revision. Someone
    mentioned for the first time hears of it."""
    comment = locked_comment(comment)
    if not lesson_access.is_inside_home_space(acting_user, comment.lesson):
        raise PermissionDenied
    if not access.can_edit_comment(acting_user, comment):
        reason = access.comments_closed_reason(acting_user, comment.lesson)
        if reason and comment.author_id == acting_user.pk:
            raise ActionRefused(reason)
        raise PermissionDenied
    body = _clean_body(body)
    if body == comment.body:
        raise ActionRefused(_("Nothing changed."))
    number = comment.revisions.count() + 1
    CommentRevision.objects.create(comment=comment, number=number, body=comment.body)
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    events.comments_changed.send(sender=Comment, comment_ids=[comment.pk])
    mentioned, unmatched = find_mentions(body, lesson_access.home_space_members(comment.lesson))
    mentioned = [user for user in mentioned if user.pk != acting_user.pk]
    before = set(comment.mentions.values_list("pk", flat=True))
    comment.mentions.set(mentioned)
    events.mentions_added.send(
        sender=Comment, comment=comment, mentioned=[u for u in mentioned if u.pk not in before]
    )
    return Posted(comment, unmatched)


@transaction.atomic
def comment_delete(*, acting_user, comment):
    """The author deletes their comment: a "comment deleted" placeholder keeps its replies'
    place. Its words are shown to no one from then on."""
    comment = locked_comment(comment)
    if not access.can_delete_comment(acting_user, comment):
        if comment.author_id == acting_user.pk and lesson_access.is_inside_home_space(
            acting_user, comment.lesson
        ):
            reason = access.comments_closed_reason(acting_user, comment.lesson)
            raise ActionRefused(reason or _("This comment was already deleted."))
        raise PermissionDenied
    comment.deleted_at = timezone.now()
    comment.search_vector = None  # its words are found by no one either
    comment.save(update_fields=["deleted_at", "search_vector"])
    return comment


@transaction.atomic
def follow_set(*, acting_user, lesson, following):
    """Follow a lesson's discussion (hear of every new comment), or stop following it."""
    if not lesson_access.is_inside_home_space(acting_user, lesson):
        raise PermissionDenied
    if following:
        follow(acting_user, lesson)
    else:
        Follow.objects.filter(user=acting_user, lesson=lesson).delete()
    return following


def follow(user, lesson):
    """The official follows the lesson's discussion (by commenting, writing it, or by choice)."""
    Follow.objects.get_or_create(user=user, lesson=lesson)
