"""The brief's PDF reads like a document made for its forum: a cover (title, network, the forum
it is made for, the date, how authors are shown), a table of contents with page numbers, and
lessons that follow one another under a running header, each page numbered."""

import io
import re

from pypdf import PdfReader

from lessons.models import Lesson
from moderation import curation

SHORT = {
    "summary": "A short lesson.",
    "worked": "One thing worked.",
    "did_not_work": "One thing did not.",
}


def _pages(brief):
    reader = PdfReader(io.BytesIO(brief.pdf.open("rb").read()))
    return [page.extract_text() for page in reader.pages]


def _brief(demo, **kwargs):
    return curation.brief_export(
        acting_user=demo.moderator,
        network=demo.digital_nations,
        title="Digital identity, for the G20",
        audience="public",
        lessons=Lesson.objects.filter(network=demo.digital_nations),
        **kwargs,
    )


def test_the_cover_names_the_forum_the_network_the_date_and_the_attribution(demo, write_lesson):
    write_lesson(author=demo.member, audience="public", title="Short public lesson", **SHORT)
    brief = _brief(demo, forum="G20 Digital Economy Working Group")
    cover = _pages(brief)[0]
    assert "Digital identity, for the G20" in cover
    assert "Lessons from Digital Nations" in cover
    assert re.search(r"Made for\s+G20 Digital Economy Working Group", cover)
    assert brief.created_at.date().isoformat() in cover
    assert "Each author is shown as readers outside Digital Nations may see them" in cover
    assert re.search(r"Under the Chatham House rule, as “a member of Digital Nations”: \d", cover)
    assert "Every network" not in cover
    assert "Short public lesson" not in cover  # the lessons begin after the contents


def test_without_a_forum_the_cover_says_who_may_read_it_in_words(demo, write_lesson):
    write_lesson(author=demo.member, audience="public", title="Short public lesson", **SHORT)
    cover = _pages(_brief(demo))[0]
    assert re.search(r"Made for\s+Anyone: every lesson in it is public", cover)


def test_the_contents_give_each_lessons_page_and_the_lessons_share_pages(demo, write_lesson):
    titles = [f"Short lesson number {n}" for n in range(1, 7)]
    for title in titles:
        write_lesson(author=demo.member, audience="public", title=title, **SHORT)
    brief = _brief(demo, forum="G20 Digital Economy Working Group")
    pages = _pages(brief)
    contents = pages[1]
    assert "Contents" in contents
    total = len(pages)
    lesson_pages = {}
    for title in titles:
        found = re.search(rf"\d+\. {title}\s*\.*\s*(\d+)", contents)
        assert found, f"{title} has no page number in the contents"
        lesson_pages[title] = int(found.group(1))
        # The page the contents give is the page the lesson's heading is on.
        assert re.search(rf"\d+\. {title}", pages[lesson_pages[title] - 1]), title
    # Short lessons follow one another: six of them fit on fewer than six pages.
    assert len(set(lesson_pages.values())) < len(titles)
    for number, text in enumerate(pages[1:], start=2):
        assert f"{number} / {total}" in text  # every page after the cover is numbered
    assert "Digital identity, for the G20" in pages[2]  # the running header
    assert f"1 / {total}" not in pages[0]  # the cover carries no number


def test_the_brief_page_takes_the_forum_and_lists_it_among_past_briefs(demo):
    from django.urls import reverse

    from tests.networks.conftest import sign_in

    client = sign_in(demo.moderator)
    url = reverse("moderation:briefs", args=["digital-nations"])
    page = client.get(url).content.decode()
    assert '<label for="id_forum">Made for' in page
    client.post(
        url, {"title": "For the UN", "forum": "UN IGF 2027", "audience": "public"}, follow=True
    )
    assert "UN IGF 2027" in client.get(url).content.decode()
