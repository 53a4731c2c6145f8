"""The moderator's workbench (the queue, a lesson's page and what is done there, merging
tags), flags on lessons and comments, and the moderation of comments: thin views over the
services. Collections and briefs are in curation_views.py."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from discussion import access as discussion_access
from lessons import access as lesson_access
from lessons import services
from lessons.forms import TagField
from lessons.markdown import markdown_to_text, render_markdown
from lessons.models import AudienceRequest, Lesson, PolicyArea, Tag, TechnologyArea
from minilateral.ratelimit import rate_limited
from moderation import access, pages
from moderation import services as moderation
from moderation.bulk import open_flags
from moderation.models import Flag, ModeratorNote
from networks import access as network_access
from networks.services import ActionRefused


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (the author is told)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TaxonomyForm(forms.Form):
    technology_area = forms.ModelChoiceField(
        label=gettext_lazy("Technology area"), queryset=TechnologyArea.objects.all(), required=False
    )
    policy_area = forms.ModelChoiceField(
        label=gettext_lazy("Policy area"), queryset=PolicyArea.objects.all(), required=False
    )
    tags = TagField(label=gettext_lazy("Tags"), required=False, max_length=600)
    reason = forms.CharField(label=gettext_lazy("Reason (the author is told)"), max_length=500)


# The taxonomy form shares its "reason" field's name with the hide form on the same page: its
# own ids keep every id on the page unique, while the posted names stay the same.
TAXONOMY_IDS = "id_taxonomy_%s"


class NoteForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Note for the moderators"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TagMergeForm(forms.Form):
    source = forms.CharField(label=gettext_lazy("Merge the tag"), max_length=60)
    target = forms.CharField(label=gettext_lazy("into the tag"), max_length=60)


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("What is wrong?"), choices=Flag.Reason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=gettext_lazy("More detail (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# The workbench


@require_safe
def queue(request, slug):
    network = network_access.get_moderated_network(request.user, slug)
    lessons = lesson_access.moderated_lessons(request.user, network).select_related(
        "author", "author_country"
    )
    in_review = list(lessons.filter(state=Lesson.State.IN_REVIEW).order_by("created_at"))
    open_flag = Flag.objects.filter(lesson=OuterRef("pk"), resolved_at__isnull=True)
    flagged = list(
        lessons.filter(Q(Exists(open_flag)) | Q(is_hidden=True))
        .prefetch_related(open_flags())
        .order_by("-is_hidden", "title")
    )
    flagged_comments = _flagged_comments(request.user, network)
    widening = list(
        AudienceRequest.objects.filter(
            lesson__in=lessons, state=AudienceRequest.State.PENDING
        ).select_related("lesson", "requested_by")
    )
    tags = (
        Tag.objects.filter(lessons__network=network)
        .annotate(uses=Count("lessons", filter=Q(lessons__network=network)))
        .order_by("name")
    )
    return render(
        request,
        "moderation/queue.html",
        {
            "network": network,
            "in_review": in_review,
            "flagged": flagged,
            "flagged_comments": flagged_comments,
            "widening": widening,
            "tags": tags,
            "merge_form": TagMergeForm(),
            **pages.workbench.context(request, network),
        },
    )


def _flagged_comments(user, network):
    """Comments with open flags, or hidden by flags and waiting for a moderator; each with an
    excerpt of its words (which the network's moderators may read)."""
    open_flag = Flag.objects.filter(comment=OuterRef("pk"), resolved_at__isnull=True)
    comments = list(
        access.moderated_comments(user, network)
        .filter(deleted_at__isnull=True)
        .filter(Q(Exists(open_flag)) | Q(is_hidden=True, hidden_by__isnull=True))
        .select_related("author", "lesson")
        .prefetch_related(open_flags())
        .order_by("-is_hidden", "created_at", "pk")
    )
    for comment in comments:
        comment.excerpt = Truncator(markdown_to_text(comment.body)).chars(200)
    return comments


@require_safe
def item(request, slug, pk):
    network = network_access.get_moderated_network(request.user, slug)
    lesson = lesson_access.get_moderated_lesson(request.user, network, pk)
    return render(request, "moderation/item.html", _item_context(request, network, lesson))


def _item_context(request, network, lesson, **forms_with_errors):
    return {
        "network": network,
        "lesson": lesson,
        "author": lesson_access.shown_author(request.user, lesson),
        "flags": lesson.flags.filter(resolved_at__isnull=True).select_related("reporter"),
        "notes": ModeratorNote.objects.filter(lesson=lesson).select_related("author"),
        "reason_form": forms_with_errors.get("reason_form") or ReasonForm(),
        "return_form": forms_with_errors.get("return_form") or ReasonForm(prefix="return"),
        "taxonomy_form": forms_with_errors.get("taxonomy_form")
        or TaxonomyForm(
            auto_id=TAXONOMY_IDS,
            initial={
                "technology_area": lesson.technology_area,
                "policy_area": lesson.policy_area,
                "tags": list(lesson.tags.values_list("name", flat=True)),
            },
        ),
        "note_form": forms_with_errors.get("note_form") or NoteForm(),
        "lock_form": forms_with_errors.get("lock_form") or ReasonForm(prefix="lock"),
    }


ACTIONS = {
    "approve",
    "return",
    "hide",
    "restore",
    "feature",
    "unfeature",
    "taxonomy",
    "note",
    "lock",
    "unlock",
}


@require_POST
def act(request, slug, pk, action):
    network = network_access.get_moderated_network(request.user, slug)
    lesson = lesson_access.get_moderated_lesson(request.user, network, pk)
    if action not in ACTIONS:
        raise Http404
    user = request.user
    try:
        if action == "approve":
            services.lesson_review_approve(acting_user=user, lesson=lesson)
            done = _("The lesson is published.")
        elif action == "return":
            form = ReasonForm(request.POST, prefix="return")
            if not form.is_valid():
                return _invalid(request, network, lesson, return_form=form)
            services.lesson_review_return(
                acting_user=user, lesson=lesson, message=form.cleaned_data["reason"]
            )
            done = _("The lesson is returned to its author.")
        elif action in ("hide", "restore"):
            form = ReasonForm(request.POST)
            if action == "hide" and not form.is_valid():
                return _invalid(request, network, lesson, reason_form=form)
            reason = request.POST.get("reason", "")
            if action == "hide":
                moderation.lesson_hide(acting_user=user, lesson=lesson, reason=reason)
                done = _("The lesson is hidden.")
            else:
                moderation.lesson_unhide(acting_user=user, lesson=lesson, reason=reason)
                done = _("The lesson shows again; its flags are resolved.")
        elif action in ("feature", "unfeature"):
            moderation.lesson_feature(acting_user=user, lesson=lesson, featured=action == "feature")
            done = _("Featured.") if action == "feature" else _("No longer featured.")
        elif action in ("lock", "unlock"):
            form = ReasonForm(request.POST, prefix="lock")
            if action == "lock" and not form.is_valid():
                return _invalid(request, network, lesson, lock_form=form)
            moderation.lesson_comments_lock(
                acting_user=user,
                lesson=lesson,
                locked=action == "lock",
                reason=request.POST.get("lock-reason", ""),
            )
            done = (
                _("Comments on the lesson are closed.")
                if action == "lock"
                else _("Comments on the lesson are open again.")
            )
        elif action == "taxonomy":
            form = TaxonomyForm(request.POST, auto_id=TAXONOMY_IDS)
            if not form.is_valid():
                return _invalid(request, network, lesson, taxonomy_form=form)
            moderation.lesson_correct_taxonomy(acting_user=user, lesson=lesson, **form.cleaned_data)
            done = _("The areas and tags are corrected.")
        else:
            form = NoteForm(request.POST)
            if not form.is_valid():
                return _invalid(request, network, lesson, note_form=form)
            moderation.moderator_note_add(
                acting_user=user, lesson=lesson, body=form.cleaned_data["body"]
            )
            done = _("Your note is added.")
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done)
    return redirect("moderation:item", network.slug, lesson.pk)


def _invalid(request, network, lesson, **forms_with_errors):
    return render(
        request,
        "moderation/item.html",
        _item_context(request, network, lesson, **forms_with_errors),
        status=400,
    )


@require_POST
def merge_tags(request, slug):
    network = network_access.get_moderated_network(request.user, slug)
    form = TagMergeForm(request.POST)
    if form.is_valid():
        try:
            count = moderation.tags_merge(
                acting_user=request.user, network=network, **form.cleaned_data
            )
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                ngettext(
                    "Tags merged in %(count)s lesson.", "Tags merged in %(count)s lessons.", count
                )
                % {"count": count},
            )
    else:
        messages.error(request, _("Name the tag to merge and the tag to keep."))
    return redirect("moderation:queue", network.slug)


@require_http_methods(["GET", "POST"])
@rate_limited("flag")
def flag(request, pk):
    lesson = lesson_access.get_lesson(request.user, pk)
    if not lesson_access.can_flag(request.user, lesson):
        raise PermissionDenied
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        moderation.flag_raise(acting_user=request.user, lesson=lesson, **form.cleaned_data)
        messages.success(request, _("Thank you. The network’s moderators will look at it."))
        return redirect(lesson)
    return render(request, "moderation/flag.html", {"lesson": lesson, "form": form})


@require_http_methods(["GET", "POST"])
@rate_limited("flag")
def comment_flag(request, pk, comment_id):
    """Report a comment: for those who read it (inside the home space); 404 for anyone else."""
    lesson = discussion_access.get_discussion_lesson(request.user, pk)
    comment = discussion_access.get_comment(request.user, lesson, comment_id)
    if not discussion_access.can_flag_comment(request.user, comment):
        raise PermissionDenied
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        moderation.comment_flag_raise(
            acting_user=request.user, comment=comment, **form.cleaned_data
        )
        messages.success(request, _("Thank you. The network’s moderators will look at it."))
        return redirect(comment)
    return render(
        request,
        "moderation/comment_flag.html",
        {
            "lesson": lesson,
            "comment": comment,
            "html": render_markdown(comment.body),
            "form": form,
        },
    )


# The workbench: comments


class CommentReasonForm(ReasonForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason (the comment’s author is told)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


COMMENT_ACTIONS = {"hide", "restore", "dismiss"}


@require_safe
def comment_item(request, slug, comment_id):
    network = network_access.get_moderated_network(request.user, slug)
    comment = access.get_moderated_comment(request.user, network, comment_id)
    return render(
        request,
        "moderation/comment.html",
        _comment_item_context(network, comment),
    )


def _comment_item_context(network, comment, **forms_with_errors):
    return {
        "network": network,
        "comment": comment,
        "lesson": comment.lesson,
        "html": render_markdown(comment.body) if not comment.is_deleted else "",
        "flags": comment.flags.filter(resolved_at__isnull=True).select_related("reporter"),
        "hide_form": forms_with_errors.get("hide_form") or CommentReasonForm(prefix="hide"),
        "restore_form": forms_with_errors.get("restore_form")
        or CommentReasonForm(prefix="restore"),
    }


@require_POST
def comment_act(request, slug, comment_id, action):
    network = network_access.get_moderated_network(request.user, slug)
    comment = access.get_moderated_comment(request.user, network, comment_id)
    if action not in COMMENT_ACTIONS:
        raise Http404
    user = request.user
    try:
        if action in ("hide", "restore"):
            form = CommentReasonForm(request.POST, prefix=action)
            if not form.is_valid():
                return render(
                    request,
                    "moderation/comment.html",
                    _comment_item_context(network, comment, **{f"{action}_form": form}),
                    status=400,
                )
            if action == "hide":
                moderation.comment_hide(
                    acting_user=user, comment=comment, reason=form.cleaned_data["reason"]
                )
                done = _("The comment is hidden; its flags are resolved.")
            else:
                moderation.comment_restore(
                    acting_user=user, comment=comment, reason=form.cleaned_data["reason"]
                )
                done = _("The comment shows again; its flags are resolved.")
        else:
            moderation.comment_flags_dismiss(acting_user=user, comment=comment)
            done = _("The flags are dismissed; the comment stays as it is.")
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done)
    return redirect("moderation:comment", network.slug, comment.pk)
