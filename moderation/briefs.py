"""Briefs: curated lessons leaving the network, for a multilateral forum.

`build` gathers what a brief may carry — each lesson's sections and context, its endorsement and
"applied by" figures, its source network, with the author shown as the attribution rule says for
readers outside the network — and nothing else: no comment, moderator note or flag. The four
writers turn that one document into PDF (WeasyPrint, from an HTML template), Markdown, CSV, JSON.
"""

import csv
import io
import json

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lessons import access as lesson_access
from lessons.markdown import markdown_for_export, markdown_to_text, render_markdown
from lessons.models import Audience, Endorsement, Lesson
from minilateral.spreadsheets import safe_cell
from networks.models import Attribution


def _made_for(network, audience, forum):
    """Who the brief is for, as its reader would say it: the forum's name, else who may read
    the lessons in it."""
    if forum:
        return forum
    if audience == Audience.PUBLIC:
        return _("Anyone: every lesson in it is public")
    if audience == Audience.NETWORK:
        return _("The members of %(network)s") % {"network": network.name}
    return _("The officials of the networks on Minilateral")


def _attribution(network, lessons):
    """How authors are shown: how many lessons name their author, their country only, or
    follow the Chatham House rule, for readers outside the network."""
    counts = dict.fromkeys(Attribution.values, 0)
    for lesson in lessons:
        counts[lesson.attribution] = counts.get(lesson.attribution, 0) + 1
    return {
        "sentence": _(
            "Each author is shown as readers outside %(network)s may see them, by the "
            "attribution chosen for their lesson."
        )
        % {"network": network.name},
        "counts": [
            (_("By name and country"), counts[Attribution.NAMED]),
            (_("By country only"), counts[Attribution.COUNTRY]),
            (
                _("Under the Chatham House rule, as “a member of %(network)s”")
                % {"network": network.name},
                counts[Attribution.CHATHAM],
            ),
        ],
    }


def build(*, network, title, audience, lessons, forum=""):
    counted = {
        lesson.pk: lesson
        for lesson in Lesson.objects.filter(pk__in=[lesson.pk for lesson in lessons])
        .select_related("network", "author", "author_country", "technology_area", "policy_area")
        .prefetch_related("tags")
        .annotate(
            endorsement_count=Count("endorsements", distinct=True),
            applied_count=Count(
                "endorsements", filter=Q(endorsements__kind=Endorsement.Kind.APPLIED), distinct=True
            ),
        )
    }
    from django.contrib.auth.models import AnonymousUser

    outsider = AnonymousUser()
    entries = []
    for lesson in lessons:
        lesson = counted[lesson.pk]
        author = lesson_access.shown_author(outsider, lesson, outside=True)
        entries.append(
            {
                "id": lesson.pk,
                "title": lesson.title,
                "summary": lesson.summary,
                "author": author.label,
                "country": author.country,
                "network": lesson.network.name,
                "technology_area": str(lesson.technology_area or ""),
                "policy_area": str(lesson.policy_area or ""),
                "stage": lesson.get_stage_display(),
                "year": lesson.year,
                "outcome": lesson.get_outcome_display(),
                "language": lesson.language,
                "published": lesson.published_at.date().isoformat() if lesson.published_at else "",
                "tags": [tag.name for tag in lesson.tags.all()],
                "endorsements": lesson.endorsement_count,
                "applied_by": lesson.applied_count,
                "sections": [
                    {
                        "field": name,
                        "heading": str(Lesson._meta.get_field(name).verbose_name).capitalize(),
                        "markdown": getattr(lesson, name),
                    }
                    for name in Lesson.SECTIONS
                    if getattr(lesson, name)
                ],
            }
        )
    return {
        "title": title,
        "network": network.name,
        "audience": str(dict(Lesson._meta.get_field("audience").choices)[audience]),
        "forum": forum,
        "made_for": _made_for(network, audience, forum),
        "attribution": _attribution(network, counted.values()),
        "date": timezone.localdate().isoformat(),
        "lessons": entries,
    }


def to_markdown(document):
    """The brief as Markdown, each text as the site would show it (no live HTML, no link to a
    script): a Markdown reader elsewhere may pass raw HTML through, the site never does."""
    return render_to_string("moderation/brief.md", {"brief": _for_markdown(document)})


def _for_markdown(value):
    if isinstance(value, str):
        return markdown_for_export(value)
    if isinstance(value, dict):
        return {key: _for_markdown(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_for_markdown(item) for item in value]
    return value


def to_json(document):
    return json.dumps(document, ensure_ascii=False, indent=2)


def to_csv(document):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Title"),
            _("Summary"),
            _("Author"),
            _("Country"),
            _("Network"),
            _("Technology area"),
            _("Policy area"),
            _("Stage"),
            _("Year"),
            _("Outcome"),
            pgettext("column: when a lesson was published", "Published"),
            _("Endorsements"),
            _("Applied by"),
            _("What worked"),
            _("What didn’t work"),
        ]
    )
    for entry in document["lessons"]:
        sections = {s["field"]: s["markdown"] for s in entry["sections"]}
        writer.writerow(
            [
                safe_cell(value)
                for value in [
                    entry["title"],
                    entry["summary"],
                    entry["author"],
                    entry["country"],
                    entry["network"],
                    entry["technology_area"],
                    entry["policy_area"],
                    entry["stage"],
                    entry["year"] or "",
                    entry["outcome"],
                    entry["published"],
                    entry["endorsements"],
                    entry["applied_by"],
                    markdown_to_text(sections.get("worked", "")),
                    markdown_to_text(sections.get("did_not_work", "")),
                ]
            ]
        )
    return out.getvalue()


def to_pdf(document):
    from weasyprint import HTML

    html = render_to_string(
        "moderation/brief_pdf.html",
        {
            "brief": document,
            "lessons": [
                {
                    **entry,
                    "sections_html": [
                        (section["heading"], render_markdown(section["markdown"]))
                        for section in entry["sections"]
                    ],
                }
                for entry in document["lessons"]
            ],
        },
    )
    # The template carries its own styles; nothing is ever fetched while rendering.
    return HTML(string=html, base_url=None, url_fetcher=_fetch_nothing).write_pdf()


def _fetch_nothing(url, *args, **kwargs):
    raise ValueError(f"briefs fetch nothing ({url})")
