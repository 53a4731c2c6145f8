"""Public pages: what a network chose to make public, with its attribution applied: the list,
the lesson page and the Atom feed, open to readers who are not signed in."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.syndication.views import Feed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from lessons import access
from lessons.markdown import markdown_to_text, render_markdown
from lessons.models import Endorsement, Lesson
from lessons.views import as_cards, lesson_detail, page_of_lessons


@login_not_required
@require_safe
def public_lesson(request, pk, slug):
    lesson = access.get_public_lesson(pk)
    if slug != lesson.get_public_url().rstrip("/").rsplit("/", 1)[-1]:
        return redirect(lesson.get_public_url(), permanent=True)
    return _render_public_lesson(request, lesson)


@login_not_required
@require_safe
def lesson_page(request, pk):
    """A lesson's own address, the one shared in emails and reports: the lesson page for a
    signed-in reader; for a visitor, the public page of a public lesson (no more than it shows),
    and for any other lesson the sign-in page, as for every private page."""
    if request.user.is_authenticated:
        return lesson_detail(request, pk)
    lesson = access.public_lesson_or_none(pk)
    if lesson is None:
        return redirect_to_login(request.get_full_path())
    return _render_public_lesson(request, lesson)


def _render_public_lesson(request, lesson):
    return render(
        request,
        "lessons/public_lesson.html",
        {
            "lesson": lesson,
            "author": access.shown_author(request.user, lesson, outside=True),
            "summary_html": render_markdown(lesson.summary),
            "sections": [
                (Lesson._meta.get_field(name).verbose_name, render_markdown(getattr(lesson, name)))
                for name in Lesson.SECTIONS
            ],
            "tags": list(lesson.tags.order_by("name")),
            "applied_count": lesson.endorsements.filter(kind=Endorsement.Kind.APPLIED).count(),
            "attachments": list(lesson.attachments.all()),
        },
    )


@login_not_required
@require_safe
def public_lessons(request):
    page = page_of_lessons(
        access.public_lessons(),
        ["-published_at", "-pk"],
        request.GET.get("page"),
        fetch=access.public_lessons(),
    )
    return render(
        request,
        "lessons/public_lessons.html",
        {"page": page, "cards": as_cards(request.user, page.object_list, outside=True)},
    )


class PublicLessonsFeed(Feed):
    """Atom feed of public lessons; authors shown as the attribution rule says outside."""

    feed_type = Atom1Feed
    title = gettext_lazy("Minilateral: public lessons")
    subtitle = gettext_lazy("What worked, and what didn't, when governments went digital.")

    def link(self):
        return reverse("lessons:public_list")

    def items(self):
        return (
            access.public_lessons()
            .select_related("network", "author", "author_country")
            .order_by("-published_at")[:50]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return markdown_to_text(item.summary)

    def item_link(self, item):
        return item.get_public_url()

    def item_author_name(self, item):
        from django.contrib.auth.models import AnonymousUser

        return access.shown_author(AnonymousUser(), item, outside=True).label

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


public_feed = login_not_required(require_safe(PublicLessonsFeed()))
