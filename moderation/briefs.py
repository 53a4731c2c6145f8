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
from lessons.models import Endorsement, Lesson


def build(*, network, title, audience, lessons):
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
                _safe_cell(value)
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


def _safe_cell(value):
    """Text a spreadsheet will not run as a formula (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


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
