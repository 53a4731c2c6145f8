"""The discussion of a lesson: comments, replies, edits, deletion, mentions, following.

Thin like lessons/views.py. Every page here is for those inside the lesson's home space
(`access.get_discussion_lesson`): for anyone else the discussion does not exist (404). A post
that cannot be taken keeps what was typed: on its form again, with the reason, or, when the
lesson is gone (or out of reach, which must look the same), on the 404 page.
"""

import functools
import uuid
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Func, IntegerField, Q, Subquery
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from discussion import access
from discussion import services as discussion
from discussion.forms import CommentForm
from lessons import access as lesson_access
from lessons.markdown import render_markdown
from minilateral.ratelimit import rate_limited
from networks.services import ActionRefused

MENTION_SUGGESTIONS = 8
# A long discussion is shown in pages of this many threads (a comment and its replies).
THREADS_PER_PAGE = 50


@dataclass
class ShownComment:
    """A comment as this reader sees it: its words only if they may read them."""

    comment: object
    html: str = ""
    can_edit: bool = False
    is_own: bool = False
    replies: list = field(default_factory=list)


def _shown(user, comment, *, open_for_user):
    html = render_markdown(comment.body) if access.can_see_comment_text(user, comment) else ""
    can_edit = open_for_user and (
        comment.author_id == user.pk and not comment.is_deleted and not comment.is_hidden
    )
    return ShownComment(
        comment=comment, html=html, can_edit=can_edit, is_own=comment.author_id == user.pk
    )


def _page_number(value):
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return None


def page_holding(comments, comment_id):
    """The page of the discussion that shows the comment (a reply is shown with the comment it
    answers), or None when there is no such comment among `comments`."""
    target = (
        comments.filter(pk=comment_id)
        .values("pk", "parent_id", "created_at", "parent__created_at")
        .first()
    )
    if target is None:
        return None
    if target["parent_id"] is not None:
        top, posted = target["parent_id"], target["parent__created_at"]
    else:
        top, posted = target["pk"], target["created_at"]
    before = (
        comments.filter(parent__isnull=True)
        .filter(Q(created_at__lt=posted) | Q(created_at=posted, pk__lt=top))
        .count()
    )
    return before // THREADS_PER_PAGE + 1


class _Count(Func):
    """COUNT(...) as a plain expression: the count of a subquery's rows, grouped by nothing."""

    function = "COUNT"
    output_field = IntegerField()


def _page_rows(comments, start):
    """The comments of the page of threads that starts at `start`, with their replies."""
    on_page = comments.filter(parent__isnull=True).values("pk")[start : start + THREADS_PER_PAGE]
    return comments.filter(Q(pk__in=on_page) | Q(parent_id__in=on_page))


def threads(user, lesson, *, page=None, comment_id=None):
    """One page of the lesson's discussion: THREADS_PER_PAGE comments, oldest first, each with
    all its replies; `comment_id` asks for the page that holds that comment. In a fixed number
    of queries, whether the discussion has twenty comments or thousands.

    Returns (threads, the number of comments, the page of threads)."""
    comments = access.visible_comments(user, lesson)
    number = page_holding(comments, comment_id) if comment_id else None
    rows, totals = None, None
    if (number or page or 1) == 1:
        # The first page (a first view's): its rows carry the totals, one query for both.
        rows = list(
            _page_rows(comments, 0).annotate(
                total_comments=Subquery(comments.order_by().values(n=_Count("pk"))),
                total_threads=Subquery(
                    comments.filter(parent__isnull=True).order_by().values(n=_Count("pk"))
                ),
            )
        )
        # Every comment of the discussion belongs to a thread: none on the first page, none at all.
        first = rows[0] if rows else None
        totals = {
            "comments": first.total_comments if first else 0,
            "threads": first.total_threads if first else 0,
        }
    if totals is None:
        totals = comments.aggregate(
            comments=Count("pk"), threads=Count("pk", filter=Q(parent__isnull=True))
        )
    paginator = Paginator(range(totals["threads"]), THREADS_PER_PAGE)
    shown_page = paginator.get_page(number or page)
    if rows is None or shown_page.number != 1:
        rows = list(_page_rows(comments, max(shown_page.start_index() - 1, 0)))
    open_for_user = access.can_comment(user, lesson)
    shown = {}
    top = []
    for comment in rows:
        comment.lesson = lesson
        shown[comment.pk] = _shown(user, comment, open_for_user=open_for_user)
        if comment.parent_id is None:
            top.append(shown[comment.pk])
    for comment in rows:
        if comment.parent_id is not None and comment.parent_id in shown:
            shown[comment.parent_id].replies.append(shown[comment.pk])
    return top, totals["comments"], shown_page


def _mention_url(lesson):
    return reverse("discussion:mention_suggestions", args=[lesson.pk])


def _comment_form(lesson, data=None, **kwargs):
    return CommentForm(
        data,
        initial={"creation_token": uuid.uuid4()},
        mention_url=_mention_url(lesson),
        **kwargs,
    )


def discussion_threads(request, lesson):
    """The page of the discussion the lesson page shows, for those inside the home space: the
    same for every reader with the same view of the platform, but for the links on their own
    comments (`authors` says whose comments are on it)."""
    user = request.user
    top, count, page = threads(
        user,
        lesson,
        page=_page_number(request.GET.get("comments")),
        comment_id=_page_number(request.GET.get("comment")),
    )
    return {
        "threads": top,
        "authors": {
            shown.comment.author_id for thread in top for shown in [thread, *thread.replies]
        },
        "comment_count": count,
        "comment_page": page,
        "comment_pages": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "can_comment": access.can_comment(user, lesson),
        "can_see_hidden": access.can_see_hidden_comments(user, lesson),
    }


def discussion_context(request, lesson):
    """What the lesson page shows of its discussion for this reader alone: their forms."""
    user = request.user
    if not lesson_access.is_inside_home_space(user, lesson):
        return {}
    return {
        "can_comment": access.can_comment(user, lesson),
        "comments_closed": access.comments_closed_reason(user, lesson),
        "comment_form": _comment_form(lesson),
    }


def following_mark(user, lesson, inside):
    """Whether this reader follows the lesson's discussion (the lesson page's own marks)."""
    return {"following": inside and lesson.is_published and access.is_following(user, lesson)}


def _say_posted(request, posted, done):
    messages.success(request, done)
    for label in posted.unmatched_mentions:
        messages.warning(
            request,
            _(
                "No one called %(mention)s is in this lesson’s space, so no one was told. "
                "Mentions reach its members only."
            )
            % {"mention": label},
        )


def keeps_what_was_typed(view):
    """A post to a lesson that is gone or out of reach (the same thing, to the poster) gets the
    404 page, which gives back what they typed."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            if request.method != "POST" or "body" not in request.POST:
                raise
            body = request.POST.get("body", "")[:20000]
            return render(request, "discussion/comment_lost.html", {"body": body}, status=404)

    return wrapped


def _fetch(request, pk, comment_id=None):
    """The lesson (and one of its comments): 404 for anyone outside its home space."""
    lesson = access.get_discussion_lesson(request.user, pk)
    comment = access.get_comment(request.user, lesson, comment_id) if comment_id else None
    return lesson, comment


def _form_page(request, form, *, lesson, mode, comment=None, status=200):
    return render(
        request,
        "discussion/comment_form.html",
        {
            "form": form,
            "lesson": lesson,
            "mode": mode,
            "comment": comment,
            "shown": _shown(request.user, comment, open_for_user=False) if comment else None,
            "closed": access.comments_closed_reason(request.user, lesson),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@rate_limited("comment_post")
@keeps_what_was_typed
def comment_create(request, pk, comment_id=None):
    """A comment on the lesson, or (with `comment_id`) a reply to one of its comments."""
    lesson, parent = _fetch(request, pk, comment_id)
    mode = "reply" if parent else "comment"
    label = _("Your reply") if parent else None
    if request.method == "GET":
        form = _comment_form(lesson, label=label)
        return _form_page(request, form, lesson=lesson, mode=mode, comment=parent)
    form = _comment_form(lesson, request.POST, label=label)
    if form.is_valid():
        try:
            posted = discussion.comment_create(
                acting_user=request.user,
                lesson=lesson,
                body=form.cleaned_data["body"],
                parent=parent,
                creation_token=form.cleaned_data["creation_token"],
            )
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            done = _("Your reply is posted.") if parent else _("Your comment is posted.")
            _say_posted(request, posted, done)
            return redirect(posted.comment)
    return _form_page(request, form, lesson=lesson, mode=mode, comment=parent)


def _require_own(request, comment):
    """Editing and deleting are the author's: 403 for another's comment (which they see)."""
    if comment.author_id != request.user.pk or comment.is_deleted:
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
@keeps_what_was_typed
def comment_edit(request, pk, comment_id):
    lesson, comment = _fetch(request, pk, comment_id)
    _require_own(request, comment)
    form = CommentForm(
        request.POST or None,
        initial={"body": comment.body},
        label=_("Your comment"),
        mention_url=_mention_url(lesson),
    )
    if request.method == "POST" and form.is_valid():
        try:
            posted = discussion.comment_edit(
                acting_user=request.user, comment=comment, body=form.cleaned_data["body"]
            )
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            _say_posted(request, posted, _("Your comment is changed."))
            return redirect(posted.comment)
    return _form_page(request, form, lesson=lesson, mode="edit", comment=comment)


@require_http_methods(["GET", "POST"])
def comment_delete(request, pk, comment_id):
    lesson, comment = _fetch(request, pk, comment_id)
    _require_own(request, comment)
    if request.method == "POST":
        try:
            discussion.comment_delete(acting_user=request.user, comment=comment)
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Your comment is deleted."))
        return redirect(comment)
    return render(
        request,
        "discussion/comment_delete.html",
        {
            "lesson": lesson,
            "comment": comment,
            "shown": _shown(request.user, comment, open_for_user=False),
        },
    )


@require_safe
def comment_history(request, pk, comment_id):
    """The earlier versions of an edited comment, for those who may read its words."""
    lesson, comment = _fetch(request, pk, comment_id)
    if not access.can_see_comment_text(request.user, comment):
        raise Http404
    versions = [
        {
            "number": None,
            "when": comment.edited_at or comment.created_at,
            "html": render_markdown(comment.body),
        }
    ] + [
        {
            "number": revision.number,
            "when": revision.created_at,
            "html": render_markdown(revision.body),
        }
        for revision in access.visible_comment_revisions(request.user, comment)
    ]
    return render(
        request,
        "discussion/comment_history.html",
        {"lesson": lesson, "comment": comment, "versions": versions},
    )


@require_safe
def mention_suggestions(request, pk):
    """Officials of the lesson's home space whose name contains what was typed after "@".
    Only for those inside it: anyone else gets 404, and no one else's name is ever offered."""
    lesson = access.get_discussion_lesson(request.user, pk)
    typed = " ".join(request.GET.get("q", "").split())[:100]
    officials = access.mentionable_officials(request.user, lesson).exclude(pk=request.user.pk)
    if typed:
        officials = officials.filter(full_name__icontains=typed)
    return JsonResponse(
        {
            "officials": [
                {"name": official.get_full_name(), "country": str(official.country or "")}
                for official in officials[:MENTION_SUGGESTIONS]
            ]
        }
    )


@require_POST
def lesson_follow(request, pk):
    lesson = access.get_discussion_lesson(request.user, pk)
    following = request.POST.get("follow") == "yes"
    discussion.follow_set(acting_user=request.user, lesson=lesson, following=following)
    messages.success(
        request,
        _("You follow this discussion: you will hear of new comments.")
        if following
        else _("You no longer follow this discussion."),
    )
    return redirect(lesson.get_absolute_url() + "#discussion")
