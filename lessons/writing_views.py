"""Writing a lesson: choosing the space it is written in, the form that creates or edits it,
its preview, an edit that meets someone else's saved first, and the tags suggested as one
types. Thin like lessons/views.py."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from lessons import access, services
from lessons.forms import AttachmentForm, LessonForm, lesson_form_parts
from lessons.languages import author_language
from lessons.markdown import render_markdown
from lessons.models import Lesson, Tag
from lessons.views import _say_saved
from minilateral.ratelimit import rate_limited
from networks import access as network_access
from networks.services import ActionRefused


def _home_space(request):
    """The network (and working group) a new lesson is written in, from ?network=&group=."""
    slug = request.GET.get("network") or request.POST.get("network")
    if not slug:
        return None, None
    network = network_access.get_member_network(request.user, slug)
    group_slug = request.GET.get("group") or request.POST.get("group")
    group = (
        network_access.get_working_group(request.user, network, group_slug) if group_slug else None
    )
    return network, group


def _render_form(request, form, *, lesson=None, network, group, preview=None):
    return render(
        request,
        "lessons/lesson_form.html",
        {
            "form": form,
            "lesson": lesson,
            "network": network,
            "group": group,
            "preview": preview,
            "parts": lesson_form_parts(form),
            # The lesson's files are managed here, beside the form, not on its reading page.
            "attachments": list(lesson.attachments.all()) if lesson else [],
            "attachment_form": AttachmentForm() if lesson else None,
        },
    )


def _preview(form):
    data = form.cleaned_data
    return {
        "language": data.get("language"),
        "title": data.get("title"),
        "summary": data.get("summary"),
        "sections": [
            (form.fields[name].label, render_markdown(data.get(name))) for name in Lesson.SECTIONS
        ],
    }


@require_http_methods(["GET", "POST"])
@rate_limited("lesson_post")
def lesson_create(request):
    network, group = _home_space(request)
    if network is None:
        spaces = [
            (n, list(network_access.visible_working_groups(request.user).filter(network=n)))
            for n in network_access.member_networks(request.user)
        ]
        return render(request, "lessons/choose_space.html", {"spaces": spaces})
    action = request.POST.get("action", "draft")
    form = LessonForm(
        request.POST or None,
        in_working_group=group is not None,
        initial={
            "attribution": network.default_attribution,
            "audience": "group" if group else "network",
            "organisation": request.user.organisation,
            "language": author_language(request.user),
            "creation_token": uuid.uuid4(),
        },
    )
    form.require_both_sections = action == "publish"
    if request.method == "POST" and form.is_valid():
        if action == "preview":
            return _render_form(request, form, network=network, group=group, preview=_preview(form))
        try:
            # Made and published together or not at all: a failure between the two (make
            # faults found one) must not leave a draft behind an error page, and a racing double
            # submit waits for the lesson to be published.
            with transaction.atomic():
                lesson = services.lesson_create(
                    acting_user=request.user,
                    network=network,
                    working_group=group,
                    data=form.lesson_data(),
                    tags=form.cleaned_data["tags"],
                    creation_token=form.cleaned_data["creation_token"],
                )
                # A double submit gets back the lesson the first one made, already published.
                if action == "publish" and lesson.state == Lesson.State.DRAFT:
                    lesson = services.lesson_publish(acting_user=request.user, lesson=lesson)
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
            return _render_form(request, form, network=network, group=group)
        _say_saved(request, lesson)
        return redirect(lesson)
    return _render_form(request, form, network=network, group=group)


@require_http_methods(["GET", "POST"])
def lesson_edit(request, pk):
    lesson = access.get_lesson(request.user, pk)
    if not access.can_edit_lesson(request.user, lesson):
        raise PermissionDenied
    action = request.POST.get("action", "save")
    form = LessonForm(
        request.POST or None, instance=lesson, in_working_group=bool(lesson.working_group_id)
    )
    form.require_both_sections = action == "publish" or lesson.state != Lesson.State.DRAFT
    context = {"network": lesson.network, "group": lesson.working_group, "lesson": lesson}
    if request.method == "POST" and form.is_valid():
        if action == "preview":
            return _render_form(request, form, preview=_preview(form), **context)
        try:
            with transaction.atomic():  # saved and published, or neither
                saved = services.lesson_update(
                    acting_user=request.user,
                    lesson=lesson,
                    data=form.lesson_data(),
                    tags=form.cleaned_data["tags"],
                    version=form.cleaned_data["version"],
                )
                if action == "publish" and saved.state == Lesson.State.DRAFT:
                    saved = services.lesson_publish(acting_user=request.user, lesson=saved)
        except services.EditConflict as conflict:
            return _render_conflict(request, form, conflict.current)
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
            return _render_form(request, form, **context)
        _say_saved(request, saved)
        return redirect(saved)
    return _render_form(request, form, **context)


def _render_conflict(request, form, current):
    """Someone saved first: show both texts, and offer this edit again on top of theirs."""
    fields = ["title", "summary", *Lesson.SECTIONS]
    rows = [
        (form.fields[name].label, getattr(current, name), form.cleaned_data.get(name))
        for name in fields
        if (getattr(current, name) or "") != (form.cleaned_data.get(name) or "")
    ]
    data = form.data.copy()
    data["version"] = current.version
    retry = LessonForm(data, instance=current, in_working_group=bool(current.working_group_id))
    return render(
        request,
        "lessons/conflict.html",
        {
            "lesson": current,
            "rows": rows,
            "form": retry,
            "sections": [retry[n] for n in Lesson.SECTIONS],
        },
        status=409,
    )


@require_safe
def tag_suggestions(request):
    """Tags already used in a space the official reads, starting with what they typed."""
    network = network_access.get_member_network(request.user, request.GET.get("network", ""))
    typed = " ".join(request.GET.get("q", "").split()).lower()[:60]
    tags = (
        Tag.objects.filter(
            lessons__in=access.readable_lessons(request.user).filter(network=network)
        )
        .filter(name__startswith=typed)
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)[:10]
    )
    return JsonResponse({"tags": list(tags)})
