"""Every piece of lesson content declares its own language: wherever a lesson's title or summary
appears on a page of the URL sweep (cards, search results, the home, lists, breadcrumbs,
notices, questions' linked lessons), the element around it carries the lesson's `lang`, so that
a screen reader speaks a Spanish title in Spanish on an English page. Notices in HTML email
(one at a time and in digests) use the same title as the notices page."""

import html.parser

import pytest

from lessons.models import Lesson
from tests.networks.conftest import sign_in
from tests.sweep_pages import body_of, pages, swept_world, translations_world  # noqa: F401  (fixtures)
from tests.test_translations import close_element

PERSONAS = ["visitor", "member", "moderator", "convenor"]


class _LanguageOfText(html.parser.HTMLParser):
    """For each text node, the language the markup declares for it (the nearest `lang`)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, lang)
        self.texts = []  # (text, lang, inside <title> or a script)

    def _current(self):
        return self.stack[-1][1] if self.stack else ""

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        lang = dict(attrs).get("lang")
        self.stack.append((tag, self._current() if lang is None else lang))

    def handle_endtag(self, tag):
        close_element(self.stack, tag)

    def handle_data(self, data):
        skipped = any(tag in ("title", "script", "style") for tag, _ in self.stack)
        self.texts.append((data, self._current(), skipped))


def mislabelled(body, lessons):
    """(title, declared language) for each text of the page holding a lesson's title or the
    start of its summary under another language than the lesson's."""
    parser = _LanguageOfText()
    parser.feed(body)
    parser.close()
    found = []
    for text, lang, skipped in parser.texts:
        if skipped:
            continue
        for lesson in lessons:
            pieces = [lesson.title[:40], lesson.summary[:40]]
            if any(piece in text for piece in pieces) and lang.split("-")[0] != lesson.language:
                found.append((lesson.title[:40], lang))
    return found


def test_mislabelled_tells_a_declared_title_from_an_inherited_one():
    lesson = Lesson(title="Firma electrónica en la nube", summary="Resumen.", language="es")
    assert mislabelled('<html lang="en"><p>Firma electrónica en la nube</p></html>', [lesson])
    assert mislabelled('<html lang="en"><p>Visto: “Firma electrónica en la nube”</p>', [lesson])
    assert not mislabelled(
        '<html lang="en"><p>Seen: “<span lang="es">Firma electrónica en la nube</span>”</p>',
        [lesson],
    )


@pytest.mark.django_db
def test_lesson_content_carries_its_own_language_on_every_page(swept_world):  # noqa: F811
    world = swept_world
    others = list(Lesson.objects.exclude(language="en"))
    assert {lesson.language for lesson in others} >= {"es", "pt"}
    paths = [*pages(world), "/search/?q=firma", "/search/?q=nube"]
    found = set()
    for persona in PERSONAS:
        client = sign_in(getattr(world.cast, persona, None))
        for path in paths:
            if path.endswith("/audit/"):
                continue  # the audit log's "about" column is a label recorded at the time
            response = client.get(path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for title, lang in mislabelled(body_of(response), others):
                found.add(f"{persona} {path}: “{title}” declared {lang!r}")
    assert not found, "\n".join(sorted(found))


@pytest.mark.django_db
def test_a_notice_of_a_spanish_lesson_declares_its_title_spanish_in_html_only(demo):
    from notifications.models import Notification
    from notifications.services import describe

    lesson = Lesson.objects.get(language="es")
    notice = Notification.objects.filter(lesson=lesson).select_related("lesson").first()
    described = describe(notice, notice.recipient)
    assert f'<span lang="es">{lesson.title}</span>' in described.html_title
    assert "<span" not in described.title  # subjects and plain-text mail stay plain
