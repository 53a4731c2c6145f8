"""Text is escaped once: what an official typed comes back as typed, in search snippets, in a
brief's CSV, and in a Markdown brief that carries no live HTML."""

import csv
import io

import pytest
from django.urls import reverse
from markdown_it import MarkdownIt

from lessons.markdown import markdown_to_text
from lessons.models import Lesson
from moderation import curation
from search import engine as search
from search import params as search_params
from tests.lessons.test_lesson_writing import XSS, ElementCollector
from tests.networks.conftest import sign_in

TYPED = "R&D spend stayed < 5% of the budget >< as planned"


def brief_of(demo, lesson, extension):
    brief = curation.brief_export(
        acting_user=demo.moderator,
        network=demo.digital_nations,
        title="For the ministers",
        audience="network",
        lessons=Lesson.objects.filter(pk=lesson.pk),
    )
    with brief.file_for(extension).open("rb") as stored:
        return stored.read().decode()


def test_plain_text_of_markdown_is_text_not_html():
    assert markdown_to_text(TYPED) == TYPED
    assert markdown_to_text("Tom & Jerry's **bold** <b>") == "Tom & Jerry's bold <b>"


@pytest.mark.django_db
def test_the_snippet_of_a_filter_only_search_shows_the_text_escaped_once(demo, write_lesson):
    write_lesson(title="Budget lesson", summary=TYPED, year=1991)
    data = {"year": ["1991"]}
    outcome = search.search_lessons(demo.member, search_params.SearchParams.from_query(data))
    (result,) = list(outcome.page.object_list)
    assert "R&amp;D spend stayed &lt; 5% of the budget &gt;&lt; as planned" in result.snippet_html
    assert "&amp;amp;" not in result.snippet_html
    assert "&amp;lt;" not in result.snippet_html
    page = sign_in(demo.member).get(reverse("search:page") + "?year=1991").content.decode()
    assert "R&amp;D spend stayed &lt; 5%" in page
    assert "&amp;amp;" not in page


@pytest.mark.django_db
def test_the_csv_brief_holds_the_text_as_typed(demo, write_lesson):
    lesson = write_lesson(title="Budget <lesson> & more", worked=TYPED, did_not_work="A >< B & C")
    rows = list(csv.reader(io.StringIO(brief_of(demo, lesson, "csv"))))
    (row,) = [row for row in rows[1:] if row[0] == "Budget <lesson> & more"]
    assert TYPED in row
    assert "A >< B & C" in row
    assert not [cell for cell in row if "&gt;" in cell or "&lt;" in cell or "&amp;" in cell]


@pytest.mark.django_db
def test_the_markdown_brief_carries_no_live_html(demo, write_lesson):
    lesson = write_lesson(
        title="Brief <script>alert(1)</script>",
        summary='<img src=x onerror="alert(1)">',
        worked="\n\n".join(XSS) + "\n\n[a source](https://example.org/report)",
        did_not_work=TYPED,
    )
    markdown = brief_of(demo, lesson, "md")
    # Read by the most permissive Markdown reader: raw HTML passed through, any link followed.
    reader = MarkdownIt("commonmark", {"html": True})
    reader.validateLink = lambda url: True
    collector = ElementCollector()
    collector.feed(reader.render(markdown))
    assert ("a", {"href": "https://example.org/report"}) in collector.elements
    for tag, attrs in collector.elements:
        assert tag not in {"script", "iframe", "svg", "style", "img", "div", "object"}, tag
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        for name in ("href", "src"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)
    assert "[a source](https://example.org/report)" in markdown  # Markdown stays Markdown
    assert TYPED in markdown  # and text stays text
    assert "&lt;script>alert(1)&lt;/script>" in markdown  # shown as text, as on the site
