"""Collections and briefs: lessons curated for members, other networks or the public, and
briefs exported for readers outside the network. Thin views over moderation/curation.py."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from lessons import access as lesson_access
from lessons.models import Audience, Lesson, TechnologyArea
from lessons.views import as_cards, with_counts
from minilateral.downloads import attachment_disposition
from minilateral.ratelimit import rate_limited
from minilateral.validators import single_line
from moderation import access, curation
from moderation.models import Brief, Collection
from networks import access as network_access
from networks.services import ActionRefused

CURATION_AUDIENCES = [
    (Audience.NETWORK.value, Audience.NETWORK.label),
    (Audience.ALL_NETWORKS.value, Audience.ALL_NETWORKS.label),
    (Audience.PUBLIC.value, Audience.PUBLIC.label),
]


class CollectionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, validators=[single_line])
    introduction = forms.CharField(
        label=gettext_lazy("Introduction"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    audience = forms.ChoiceField(
        label=gettext_lazy("Who may open it"),
        choices=CURATION_AUDIENCES,
        help_text=gettext_lazy("Each reader sees only the lessons they may read anyway."),
    )


class BriefForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, validators=[single_line])
    forum = forms.CharField(
        label=gettext_lazy("Made for"),
        help_text=gettext_lazy(
            "The forum that will read it, as its readers know it, such as “G20 Digital Economy "
            "Working Group”. Its cover says so."
        ),
        max_length=200,
        required=False,
    )
    audience = forms.ChoiceField(
        label=gettext_lazy("Lessons that may go as far as"),
        choices=CURATION_AUDIENCES[1:] + CURATION_AUDIENCES[:1],
        help_text=gettext_lazy("Only lessons whose audience reaches this far go in."),
    )
    collection = forms.ModelChoiceField(
        label=gettext_lazy("From a collection"), queryset=Collection.objects.none(), required=False
    )
    technology_area = forms.ModelChoiceField(
        label=gettext_lazy("Or the lessons of a technology area"),
        queryset=TechnologyArea.objects.all(),
        required=False,
    )
    outcome = forms.ChoiceField(
        label=gettext_lazy("and outcome"),
        choices=[("", gettext_lazy("Any")), *Lesson.Outcome.choices],
        required=False,
    )
    tag = forms.CharField(label=gettext_lazy("and tag"), max_length=60, required=False)

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collection"].queryset = Collection.objects.filter(network=network)


# Collections


@require_safe
def collections(request, slug):
    network = network_access.get_member_network(request.user, slug)
    found = access.visible_collections(request.user).filter(network=network)
    return render(
        request,
        "moderation/collections.html",
        {
            "network": network,
            "collections": found,
            "can_curate": network_access.can_moderate(request.user, network),
        },
    )


@require_http_methods(["GET", "POST"])
def collection_create(request, slug):
    network = network_access.get_moderated_network(request.user, slug)
    form = CollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            collection = curation.collection_create(
                acting_user=request.user, network=network, **form.cleaned_data
            )
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The collection is made. Add lessons to it."))
            return redirect("moderation:collection_edit", network.slug, collection.slug)
    return render(request, "moderation/collection_form.html", {"network": network, "form": form})


@require_safe
def collection(request, slug, collection_slug):
    found = access.get_collection(request.user, slug, collection_slug)
    lessons = with_counts(access.collection_lessons(request.user, found))
    return render(
        request,
        "moderation/collection.html",
        {
            "collection": found,
            "cards": as_cards(request.user, lessons),
            "can_curate": network_access.can_moderate(request.user, found.network),
        },
    )


@require_http_methods(["GET", "POST"])
def collection_edit(request, slug, collection_slug):
    network = network_access.get_moderated_network(request.user, slug)
    found = Collection.objects.filter(network=network, slug=collection_slug).first()
    if found is None:
        raise Http404
    form = CollectionForm(
        request.POST if "save" in request.POST else None,
        initial={
            "title": found.title,
            "introduction": found.introduction,
            "audience": found.audience,
        },
    )
    if request.method == "POST":
        try:
            if "save" in request.POST:
                if not form.is_valid():
                    return _collection_page(request, network, found, form, status=400)
                curation.collection_update(
                    acting_user=request.user, collection=found, **form.cleaned_data
                )
                messages.success(request, _("The collection is saved."))
            else:
                chosen = request.POST.get("lesson", "")
                numeric = chosen.isascii() and chosen.isdigit() and len(chosen) < 19
                lesson = (
                    lesson_access.moderated_lessons(request.user, network)
                    .filter(pk=int(chosen) if numeric else 0)
                    .first()
                )
                if lesson is None:
                    raise ActionRefused(_("Choose one of this network’s lessons."))
                operation = request.POST.get("operation")
                if operation == "add":
                    curation.collection_add_lesson(
                        acting_user=request.user, collection=found, lesson=lesson
                    )
                elif operation == "remove":
                    curation.collection_remove_lesson(
                        acting_user=request.user, collection=found, lesson=lesson
                    )
                elif operation in ("up", "down"):
                    curation.collection_move(
                        acting_user=request.user,
                        collection=found,
                        lesson=lesson,
                        direction=operation,
                    )
                else:
                    raise ActionRefused(_("That is not something a collection can do."))
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
        return redirect("moderation:collection_edit", network.slug, found.slug)
    return _collection_page(request, network, found, form)


def _collection_page(request, network, found, form, status=200):
    items = list(found.items.select_related("lesson").order_by("position", "pk"))
    collected = {item.lesson_id for item in items}
    candidates = (
        lesson_access.moderated_lessons(request.user, network)
        .filter(state=Lesson.State.PUBLISHED)
        .exclude(pk__in=collected)
        .order_by("title")
    )
    return render(
        request,
        "moderation/collection_edit.html",
        {
            "network": network,
            "collection": found,
            "form": form,
            "items": items,
            "candidates": candidates,
        },
        status=status,
    )


@login_not_required
@require_safe
def public_collection(request, pk, slug):
    found = access.get_public_collection(pk)
    if slug != found.slug:
        return redirect(found.get_public_url(), permanent=True)
    lessons = with_counts(access.collection_lessons(request.user, found, outside=True))
    return render(
        request,
        "moderation/public_collection.html",
        {"collection": found, "cards": as_cards(request.user, lessons, outside=True)},
    )


# Briefs


@require_http_methods(["GET", "POST"])
@rate_limited("export")
def briefs(request, slug):
    network = network_access.get_moderated_network(request.user, slug)
    form = BriefForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lessons = None
        filters = {}
        if not data["collection"]:
            lessons = Lesson.objects.filter(network=network)
            if data["technology_area"]:
                lessons = lessons.filter(technology_area=data["technology_area"])
                filters["technology_area"] = data["technology_area"].slug
            if data["outcome"]:
                lessons = lessons.filter(outcome=data["outcome"])
                filters["outcome"] = data["outcome"]
            if data["tag"]:
                lessons = lessons.filter(tags__name=data["tag"].strip().lower())
                filters["tag"] = data["tag"].strip().lower()
        try:
            brief = curation.brief_export(
                acting_user=request.user,
                network=network,
                title=data["title"],
                forum=data["forum"],
                audience=data["audience"],
                collection=data["collection"],
                lessons=lessons,
                filters=filters,
            )
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                ngettext(
                    "The brief is ready, with %(count)s lesson.",
                    "The brief is ready, with %(count)s lessons.",
                    brief.lesson_count,
                )
                % {"count": brief.lesson_count},
            )
            return redirect("moderation:briefs", network.slug)
    return render(
        request,
        "moderation/briefs.html",
        {
            "network": network,
            "form": form,
            "briefs": Brief.objects.filter(network=network).select_related("created_by"),
            "formats": list(Brief.FORMATS),
        },
    )


@require_safe
def brief_download(request, slug, pk, extension):
    network = network_access.get_moderated_network(request.user, slug)
    brief = Brief.objects.filter(network=network, pk=pk).first()
    if brief is None or extension not in Brief.FORMATS:
        raise Http404
    response = FileResponse(
        brief.file_for(extension).open("rb"), content_type=Brief.FORMATS[extension]
    )
    response["Content-Disposition"] = attachment_disposition(brief.title, extension)
    response["X-Content-Type-Options"] = "nosniff"
    return response
