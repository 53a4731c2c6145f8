"""Who may see and do what in a lesson's discussion. Rule 4 of the access policy: discussion never
leaves the home space, so every question here starts from lessons.access.is_inside_home_space;
outside it, a discussion does not exist (404, nothing listed, nothing found)."""

from django.http import Http404
from django.utils.translation import gettext as _

from discussion.models import Comment, CommentRevision, Follow
from lessons import access as lesson_access
from lessons.models import Lesson
from networks.models import User


def visible_comments(user, lesson):
    """The lesson's comments and replies, in order, for those inside its home space; nothing for
    anyone else. Deleted and hidden ones are included: the page shows them as placeholders."""
    if not lesson_access.is_inside_home_space(user, lesson):
        return Comment.objects.none()
    return lesson.comments.select_related("author", "author__country").order_by("created_at", "pk")


def searchable_comments(user):
    """Comments whose words search may find for this reader: on lessons they may read whose home
    space they are inside, never deleted or hidden ones (a moderator sees those on the page)."""
    if not user.is_authenticated:
        return Comment.objects.none()
    return Comment.objects.filter(
        lesson_access.inside_home_space_q(user, prefix="lesson__"),
        lesson__in=lesson_access.readable_lessons(user),
        deleted_at__isnull=True,
        is_hidden=False,
    )


def can_see_hidden_comments(user, lesson):
    """A hidden comment is shown as "hidden by a moderator" to all but the network's moderators."""
    return lesson_access.can_moderate_lesson(user, lesson)


def comments_closed_reason(user, lesson):
    """Why this official, inside the home space, may not post on the lesson now; "" if they may."""
    if lesson.state == Lesson.State.WITHDRAWN:
        return _("The lesson is withdrawn: its discussion is closed.")
    if not lesson.is_published:
        return _("Comments open when the lesson is published.")
    if lesson.comments_locked:
        return _("Comments on this lesson are closed.")
    if lesson.working_group_id and lesson.working_group.is_archived:
        return _("The working group is archived: its discussions are closed.")
    return ""


def can_comment(user, lesson):
    return lesson_access.is_inside_home_space(user, lesson) and not comments_closed_reason(
        user, lesson
    )


def can_edit_comment(user, comment):
    """Authors edit (and delete) their own comments while they may still comment there."""
    return (
        user.is_authenticated
        and comment.author_id == user.pk
        and not comment.is_deleted
        and not comment.is_hidden
        and can_comment(user, comment.lesson)
    )


def can_delete_comment(user, comment):
    return can_edit_comment(user, comment)


def can_see_comment_text(user, comment):
    """Whether this reader, inside the home space, may read the comment's words."""
    if comment.is_deleted:
        return False
    if comment.is_hidden:
        return can_see_hidden_comments(user, comment.lesson)
    return lesson_access.is_inside_home_space(user, comment.lesson)


def get_comment(user, lesson, comment_id):
    """One of the lesson's comments, for those inside its home space; 404 for anyone else."""
    comment = visible_comments(user, lesson).filter(pk=comment_id).first()
    if comment is None:
        raise Http404
    comment.lesson = lesson
    return comment


def get_discussion_lesson(user, pk):
    """A lesson whose discussion the user may take part in: 404 for readers outside its home
    space, exactly as for a missing lesson (its discussion does not exist for them)."""
    lesson = lesson_access.get_lesson(user, pk)
    if not lesson_access.is_inside_home_space(user, lesson):
        raise Http404
    return lesson


def can_flag_comment(user, comment):
    """Readers of a comment's words (inside the home space) may report another's comment."""
    return (
        user.is_authenticated
        and comment.author_id != user.pk
        and not comment.is_deleted
        and not comment.is_hidden
        and lesson_access.is_inside_home_space(user, comment.lesson)
    )


def mentionable_officials(user, lesson):
    """Whom the user may mention on the lesson: the officials of its home space, for those
    inside it; no one for anyone else (no other name can be found this way)."""
    if not lesson_access.is_inside_home_space(user, lesson):
        return User.objects.none()
    return (
        lesson_access.home_space_members(lesson)
        .select_related("country")
        .order_by("full_name", "pk")
    )


def lesson_followers(lesson):
    """Officials inside the lesson's home space who follow its discussion."""
    return lesson_access.home_space_members(lesson).filter(follows__lesson=lesson)


def visible_comment_revisions(user, comment):
    """The earlier texts of a comment, for those who may read its words."""
    if not can_see_comment_text(user, comment):
        return CommentRevision.objects.none()
    return comment.revisions.all()


def is_following(user, lesson):
    return (
        lesson_access.is_inside_home_space(user, lesson)
        and Follow.objects.filter(user=user, lesson=lesson).exists()
    )


def followed_lessons(user):
    """Readable lessons whose discussion the user follows, inside its home space: the
    discussions they hear of (the same rule as `is_following`, for many lessons)."""
    if not user.is_authenticated:
        return Lesson.objects.none()
    return lesson_access.readable_lessons(user).filter(
        lesson_access.inside_home_space_q(user), follows__user=user
    )
