"""Lesson pages: the lists, the lesson page, its history, and what a reader does from it
(publish, withdraw, restore, widen the audience, endorse). Writing a lesson is in
writing_views.py, its files in attachment_views.py, the public pages in public_views.py.
Thin: parse input, fetch through the access policy, call a service, redirect."""

import difflib

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lessons import access, page_rows, pages, services
from lessons.forms import AudienceForm, EndorsementForm, LessonFilterForm
from lessons.markdown import render_markdown
from lessons.models import AudienceRequest, Endorsement, Lesson, Tag
from lessons.remembered import Remembered
from networks import access as network_access
from networks.services import ActionRefused

PAGE_SIZE = 20
# The lesson page names the latest endorsers only; the counts are of all of them.
ENDORSERS_SHOWN = 50


def _endorsement_count(**filters):
    """The lesson's endorsements (of a kind), counted for each row by a correlated subquery:
    PostgreSQL counts them for the rows of the page only, after the sort and the limit, where
    a join and GROUP BY would count every lesson of the network first."""
    counted = (
        Endorsement.objects.filter(lesson=OuterRef("pk"), **filters)
        .order_by()
        .values("lesson")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_counts(lessons):
    """Lessons with what every list shows, in a fixed number of queries whatever their number."""
    return (
        # The search index is not shown in lists: don't carry it across for every row.
        lessons.defer("search_vector", "search_tags")
        .select_related("network", "working_group", "author", "author_country", "technology_area")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .annotate(
            endorsement_count=_endorsement_count(),
            applied_count=_endorsement_count(kind=Endorsement.Kind.APPLIED),
        )
    )


def page_of_lessons(lessons, order, number, *, fetch):
    """One page of `lessons` in `order`, however deep: the page's ids first, found by a sort of
    the narrow rows (the network's list index answers it), then only those rows with what a
    card shows. Sorting the full rows instead makes PostgreSQL carry every lesson before the
    page, its text and its counted endorsements, through the sort: page 200 took seconds.
    `fetch` reads the rows (readable_lessons or public_lessons, as `lessons` was asked)."""
    page = Paginator(lessons.order_by(*order).values_list("pk", flat=True), PAGE_SIZE).get_page(
        number
    )
    ids = list(page.object_list)
    rows = {lesson.pk: lesson for lesson in with_counts(fetch.filter(pk__in=ids))}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


def as_cards(user, lessons, *, outside=False):
    return [(lesson, access.shown_author(user, lesson, outside=outside)) for lesson in lessons]


# What a network's home and a working group's page show of their lessons (networks/pages.py).


def network_home_lessons(request, network):
    """The network's featured and latest lessons, five each, newest first (in the order of the
    lesson indexes, lessons.Lesson.Meta)."""
    lessons = access.readable_lessons(request.user).filter(network=network)
    newest = ("-published_at", "-pk")
    return {
        "featured": as_cards(
            request.user, with_counts(lessons.filter(is_featured=True)).order_by(*newest)[:5]
        ),
        "latest": as_cards(
            request.user, with_counts(lessons.filter(is_featured=False)).order_by(*newest)[:5]
        ),
    }


def working_group_lessons(request, network, group):
    """The working group's latest lessons that this reader may read."""
    lessons = access.readable_lessons(request.user).filter(working_group=group)
    return {"lessons": as_cards(request.user, with_counts(lessons).order_by("-published_at")[:20])}


@require_safe
def network_lessons(request, slug):
    network = network_access.get_member_network(request.user, slug)
    # The list depends on the reader only through their view of the platform, and otherwise on
    # lessons, endorsements, tags and names, whose every write moves its space's generation on:
    # remembered like a search (lessons.remembered.Remembered), rendered again after any change.
    remembered = Remembered(
        request.user,
        (
            "lesson-list",
            network.pk,
            sorted(request.GET.lists()),
            get_language(),
            timezone.get_current_timezone_name(),
        ),
    )
    content = remembered.get("content")
    if content is None:
        content = remembered.keep("content", _network_lessons_content(request, network))
    return render(request, "lessons/network_lessons.html", {"network": network, "content": content})


def _network_lessons_content(request, network):
    groups = list(network_access.visible_working_groups(request.user).filter(network=network))
    form = LessonFilterForm(request.GET or None, groups=groups)
    lessons = access.readable_lessons(request.user).filter(network=network)
    sort = "newest"
    if form.is_valid():
        filters = form.cleaned_data
        if filters["group"]:
            lessons = lessons.filter(working_group__slug=filters["group"])
        if filters["technology"]:
            lessons = lessons.filter(technology_area=filters["technology"])
        if filters["stage"]:
            lessons = lessons.filter(stage=filters["stage"])
        if filters["outcome"]:
            lessons = lessons.filter(outcome=filters["outcome"])
        if filters["year"]:
            lessons = lessons.filter(year=filters["year"])
        if filters["tag"]:
            lessons = lessons.filter(tags__name=filters["tag"].strip().lower())
        sort = filters["sort"] or "newest"
    if sort == "endorsed":
        lessons = lessons.annotate(endorsement_count=_endorsement_count())
    elif sort == "applied":
        lessons = lessons.annotate(applied_count=_endorsement_count(kind=Endorsement.Kind.APPLIED))
    order = {
        "newest": ["-published_at", "-pk"],
        "endorsed": ["-endorsement_count", "-published_at", "-pk"],
        "applied": ["-applied_count", "-published_at", "-pk"],
    }[sort]
    page = page_of_lessons(
        lessons, order, request.GET.get("page"), fetch=access.readable_lessons(request.user)
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render_to_string(
        "lessons/_network_lessons_content.html",
        {
            "network": network,
            "form": form,
            "page": page,
            "cards": as_cards(request.user, page.object_list),
            "query": query.urlencode(),
        },
        request=request,
    )


@require_safe
def my_lessons(request):
    lessons = with_counts(access.own_lessons(request.user)).order_by("-updated_at", "-pk")
    by_state = {state: [] for state in Lesson.State}
    for lesson in lessons:
        by_state[Lesson.State(lesson.state)].append(lesson)
    return render(
        request,
        "lessons/my_lessons.html",
        {"by_state": [(state.label, items) for state, items in by_state.items()]},
    )


def _say_saved(request, lesson):
    if lesson.state == Lesson.State.PUBLISHED:
        messages.success(request, _("Your lesson is published."))
    elif lesson.state == Lesson.State.IN_REVIEW:
        messages.success(request, _("Your lesson is waiting for a moderator’s review."))
    else:
        messages.success(request, _("Your draft is saved. Only you can see it."))
    if lesson.audience_requests.filter(state=AudienceRequest.State.PENDING).exists():
        messages.info(request, _("A moderator has been asked to agree to the wider audience."))


@require_safe
def lesson_detail(request, pk):
    """The lesson page, remembered in parts for the generations of the reader's spaces
    (lessons.remembered.Remembered), all asked of the cache at once: the lesson's row, which the
    access policy judges for this reader whether read now or remembered; the parts every reader
    with this reader's view sees (_lesson_shared.html); what is this reader's own (their
    endorsement, whether they follow the discussion). Every write to what they hold moves the
    generation on, so they are read and rendered again after any change. Forms are rendered for
    each reader."""
    user = request.user
    remembered = Remembered(
        user,
        (
            "lesson-page",
            pk,
            sorted(request.GET.lists()),
            get_language(),
            timezone.get_current_timezone_name(),
        ),
    )
    own_parts, own_marks = f"parts-of-{user.pk}", f"marks-of-{user.pk}"
    found = remembered.get_many("lesson", "parts", own_parts, own_marks)
    known = found.get("lesson") or page_rows.read_lesson_row(pk)
    lesson = access.get_lesson(user, pk, known=known)
    if "lesson" not in found:
        remembered.keep("lesson", lesson)
    inside = access.is_inside_home_space(user, lesson)
    shared = found.get(own_parts) or found.get("parts")
    # A page on which the reader has comments of their own shows them links no one else sees:
    # it is remembered for them alone.
    if shared is None or (own_parts not in found and user.pk in shared["authors"]):
        shared = _render_shared_lesson_page(request, lesson, inside=inside)
        remembered.keep(own_parts if user.pk in shared["authors"] else "parts", shared)
    marks = found.get(own_marks)
    if marks is None:
        marks = remembered.keep(own_marks, _reader_marks(user, lesson, inside=inside))
    can_edit = access.can_edit_lesson(user, lesson)
    return render(
        request,
        "lessons/lesson_detail.html",
        {
            "lesson": lesson,
            "shared": shared,
            "inside": inside,
            "endorsement_kinds": Endorsement.Kind,
            **marks,
            "can_edit": can_edit,
            "can_endorse": access.can_endorse(user, lesson),
            "can_withdraw": access.can_withdraw(user, lesson),
            "can_restore": access.can_restore(user, lesson),
            "can_change_audience": access.can_change_audience(user, lesson),
            "can_review": lesson.state == Lesson.State.IN_REVIEW
            and access.can_moderate_lesson(user, lesson),
            "can_moderate": access.can_moderate_lesson(user, lesson),
            "can_flag": access.can_flag(user, lesson),
            "endorsement_form": EndorsementForm(),
            **pages.reader.context(request, lesson),
        },
    )


# The parts of the lesson page in templates/lessons/_lesson_shared.html.
SHARED_PARTS = ("head", "body", "attachments", "endorsements", "threads", "related")


def _reader_marks(user, lesson, *, inside):
    """What the page shows of this reader's own: their endorsement, and what the capabilities
    add (whether they follow the discussion)."""
    mine = set()
    if access.can_endorse(user, lesson):
        mine = set(lesson.endorsements.filter(user=user).values_list("kind", flat=True))
    return {"mine": mine, **pages.marks.context(user, lesson, inside)}


def _render_shared_lesson_page(request, lesson, *, inside):
    """The parts every reader with this view sees, from the row page_rows.read_lesson_row read
    (with its tags, attachments, pending request and counts), the latest endorsers and the
    related lessons: a fixed number of queries whatever the lesson holds."""
    user = request.user
    counts = page_rows.endorsement_counts_of(lesson)
    applied, endorsers = [], None
    if access.can_see_endorsers(user, lesson):
        endorsers, applied = page_rows.latest_endorsements(lesson, ENDORSERS_SHOWN)
    tags = page_rows.tags_of(lesson)
    # Newest first by the index on publication. For a common tag PostgreSQL still hashes
    # every lesson that has it (tens of thousands) before taking five.
    shares_a_tag = Exists(
        Lesson.tags.through.objects.filter(
            lesson_id=OuterRef("pk"), tag_id__in=[tag.pk for tag in tags]
        )
    )
    related_ids = (
        access.readable_lessons(user)
        .exclude(pk=lesson.pk)
        .filter(Q(shares_a_tag) | Q(technology_area_id=lesson.technology_area_id))
        .order_by("-published_at", "-pk")
        .values("pk")[:5]
    )
    related = page_rows.with_tags(
        with_counts(access.readable_lessons(user).filter(pk__in=related_ids))
        .prefetch_related(None)
        .order_by("-published_at", "-pk")
    )
    context = {
        "lesson": lesson,
        "author": access.shown_author(user, lesson),
        "inside": inside,
        "sections": [
            (Lesson._meta.get_field(name).verbose_name, render_markdown(getattr(lesson, name)))
            for name in Lesson.SECTIONS
        ],
        "summary_html": render_markdown(lesson.summary),
        "tags": tags,
        "attachments": page_rows.attachments_of(lesson),
        "pending_request": page_rows.pending_request_of(lesson),
        "counts": list(counts.items()),
        "applied_count": counts[Endorsement.Kind.APPLIED],
        "applied": applied,
        "endorsers": endorsers,
        "endorsers_not_shown": sum(counts.values()) - len(endorsers or ()),
        "related": as_cards(user, related),
        "threads": [],
        "authors": set(),
        "comment_count": 0,
    }
    if inside:
        context |= pages.shared.context(request, lesson)
    shared = {
        name: render_to_string(f"lessons/_lesson_shared.html#{name}", context, request=request)
        for name in SHARED_PARTS
    }
    return shared | {"authors": context["authors"], "comment_count": context["comment_count"]}


def _word_diff(old, new):
    """The change from old to new text, words deleted in <del> and inserted in <ins>."""
    old_words, new_words = (old or "").split(), (new or "").split()
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(old_words[a1:a2])))
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(' '.join(old_words[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(' '.join(new_words[b1:b2]))}</ins>")
    # Every piece is escaped above.
    return mark_safe(" ".join(parts))  # noqa: S308  # nosec B308 B703


@require_safe
def lesson_history(request, pk):
    lesson = access.get_lesson(request.user, pk)
    current = services._snapshot(lesson)
    revisions = list(lesson.revisions.select_related("editor"))
    entries = []
    newer = current
    for revision in revisions:
        changes = [
            (
                Lesson._meta.get_field(field).verbose_name if field != "tags" else _("tags"),
                _word_diff(
                    ", ".join(revision.content.get(field) or [])
                    if field == "tags"
                    else revision.content.get(field),
                    ", ".join(newer.get(field) or []) if field == "tags" else newer.get(field),
                ),
            )
            for field in [*services.CONTENT_FIELDS, "tags"]
            if revision.content.get(field) != newer.get(field)
        ]
        entries.append(
            {
                "revision": revision,
                "changes": changes,
                "editor": access.shown_author(request.user, lesson)
                if revision.editor_id == lesson.author_id
                else access.ShownAuthor(label=revision.editor.display_name),
            }
        )
        newer = revision.content
    return render(request, "lessons/lesson_history.html", {"lesson": lesson, "entries": entries})


def _act(request, pk, service, done, **extra):
    lesson = access.get_lesson(request.user, pk)
    try:
        service(acting_user=request.user, lesson=lesson, **extra)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done)
    return lesson


@require_POST
def lesson_publish(request, pk):
    lesson = access.get_lesson(request.user, pk)
    try:
        lesson = services.lesson_publish(acting_user=request.user, lesson=lesson)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        _say_saved(request, lesson)
    return redirect(lesson)


@require_POST
def lesson_withdraw(request, pk):
    lesson = _act(
        request,
        pk,
        services.lesson_withdraw,
        _("The lesson is withdrawn. It can be restored for 30 days."),
    )
    return redirect(lesson)


@require_POST
def lesson_restore(request, pk):
    lesson = _act(request, pk, services.lesson_restore, _("The lesson is restored."))
    return redirect(lesson)


@require_http_methods(["GET", "POST"])
def lesson_audience(request, pk):
    lesson = access.get_lesson(request.user, pk)
    if not access.can_change_audience(request.user, lesson):
        raise PermissionDenied
    form = AudienceForm(request.POST or None, lesson=lesson)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.lesson_change_audience(
                acting_user=request.user, lesson=lesson, audience=form.cleaned_data["audience"]
            )
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            if (
                isinstance(result, AudienceRequest)
                and result.state == AudienceRequest.State.PENDING
            ):
                messages.info(request, _("Asked. The audience widens once the other side agrees."))
            else:
                messages.success(request, _("The audience is changed."))
            return redirect(lesson)
    pending = (
        lesson.audience_requests.filter(state=AudienceRequest.State.PENDING)
        .select_related("requested_by")
        .first()
    )
    return render(
        request,
        "lessons/lesson_audience.html",
        {"lesson": lesson, "form": form, "pending": pending},
    )


@require_POST
def audience_request_decide(request, pk, request_id):
    lesson = access.get_lesson(request.user, pk)
    audience_request = lesson.audience_requests.filter(pk=request_id).first()
    if audience_request is None:
        raise Http404
    approve = request.POST.get("decision") == "approve"
    try:
        services.audience_request_decide(
            acting_user=request.user, request=audience_request, approve=approve
        )
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("The wider audience is agreed.") if approve else _("The request is declined."),
        )
    return redirect(lesson)


@require_POST
def lesson_endorse(request, pk):
    lesson = access.get_lesson(request.user, pk)
    form = EndorsementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how this lesson helped you."))
        return redirect(lesson)
    try:
        marked = services.endorsement_toggle(
            acting_user=request.user,
            lesson=lesson,
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"],
        )
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Thank you: your endorsement is recorded.")
            if marked
            else _("Your endorsement is removed."),
        )
    return redirect(lesson)
