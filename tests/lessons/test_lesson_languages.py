"""Lessons keep their own language: written in the author's language unless they choose another,
marked with `lang` on their own words (never on the interface around them) on cards and pages,
and named to a reader whose interface is in another language ("In French")."""

import re
from html.parser import HTMLParser

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import translation

from lessons import services
from lessons.languages import author_language
from lessons.models import Audience
from lessons.templatetags.languages import written_in
from networks.models import User
from tests.networks.conftest import sign_in

FRENCH = {
    "title": "Le guichet unique des mairies",
    "summary": "Les usagers ont fait confiance au guichet avant les formulaires.",
    "worked": "Un agent d’accueil dans chaque mairie.",
    "did_not_work": "Les formulaires en ligne seuls.",
    "language": "fr",
}


@pytest.fixture(autouse=True)
def _empty_fragment_cache():
    caches["template_fragments"].clear()
    yield
    caches["template_fragments"].clear()


class LanguageOfText(HTMLParser):
    """Each piece of text of a page with the language it is declared in: the `lang` of its
    nearest element that has one (the page's <html lang> at the top). Not the document's title
    nor what form fields hold: the text read on the page."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    NOT_READ = {"title", "textarea", "option", "script", "style"}

    def __init__(self):
        super().__init__()
        self.stack = []  # (tag, lang)
        self.texts = []  # (text, lang)

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        inherited = self.stack[-1][1] if self.stack else None
        self.stack.append((tag, dict(attrs).get("lang", inherited)))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not any(tag in self.NOT_READ for tag, _lang in self.stack):
            self.texts.append((text, self.stack[-1][1] if self.stack else None))

    def languages_of(self, text):
        """The languages declared for every piece of text containing `text`."""
        return {lang for piece, lang in self.texts if text in piece}


def languages_on(page):
    parser = LanguageOfText()
    parser.feed(page)
    return parser


def card_of(page, title):
    cards = page.split('<li class="lesson-card">')[1:]
    (card,) = [card.split("</li>")[0] for card in cards if title in card]
    return card


# Cards


def test_a_card_marks_the_lessons_words_with_its_language_and_names_it(demo, write_lesson):
    write_lesson(author=demo.member, **FRENCH)
    write_lesson(author=demo.member, title="Consent screens in English")
    url = reverse("lessons:network_list", args=[demo.digital_nations.slug])
    page = sign_in(demo.group_member).get(url, headers={"accept-language": "en"}).content.decode()
    card = card_of(page, FRENCH["title"])
    assert '<h3 lang="fr" class="heading-s lesson-card__title">' in card
    assert '<p class="lesson-card__summary" lang="fr">' in card
    assert "· In French" in card
    shown = languages_on(page)
    assert shown.languages_of(FRENCH["title"]) == {"fr"}
    assert shown.languages_of("In French") == {"en"}  # the interface's words stay English
    english = card_of(page, "Consent screens in English")
    assert '<h3 lang="en" class="heading-s lesson-card__title">' in english
    assert " In " not in english  # a lesson in the reader's own language needn't say so


def test_a_card_names_the_language_in_the_readers_language_and_only_when_it_differs(
    demo, write_lesson
):
    write_lesson(author=demo.member, **FRENCH)
    write_lesson(author=demo.member, title="Consent screens in English")
    url = reverse("lessons:network_list", args=[demo.digital_nations.slug])
    reader = sign_in(demo.group_member)
    english_first = card_of(
        reader.get(url, headers={"accept-language": "en"}).content.decode(), FRENCH["title"]
    )
    page = reader.get(url, headers={"accept-language": "fr"}).content.decode()
    # The card cached for the English reader is not served to the French one.
    assert "French" in english_first
    french = card_of(page, FRENCH["title"])
    assert "French" not in french
    assert "français" not in french.lower().split("</h3>")[1]  # not "In French" to a French reader
    assert "anglais" in card_of(page, "Consent screens in English")  # "En anglais", lower case


def test_a_card_follows_a_change_of_the_lessons_language(demo, write_lesson):
    lesson = write_lesson(author=demo.member, **FRENCH)
    url = reverse("lessons:network_list", args=[demo.digital_nations.slug])
    reader = sign_in(demo.group_member)
    assert "In French" in card_of(reader.get(url).content.decode(), FRENCH["title"])
    services.lesson_update(
        acting_user=demo.member,
        lesson=lesson,
        data={"language": "es"},
        tags=[],
        version=lesson.version,
    )
    card = card_of(reader.get(url).content.decode(), FRENCH["title"])
    assert "In Spanish" in card
    assert 'lang="es"' in card


def test_the_public_list_marks_each_lesson_in_its_language(demo, write_lesson):
    write_lesson(author=demo.member, audience=Audience.PUBLIC, **FRENCH)
    page = sign_in(None).get(reverse("lessons:public_list")).content.decode()
    card = card_of(page, FRENCH["title"])
    assert '<h2 lang="fr" class="heading-s lesson-card__title">' in card
    assert "In French" in card


def test_written_in_says_nothing_in_the_readers_own_language():
    with translation.override("en"):
        assert written_in("fr") == "French"
        assert written_in("en-gb") == ""
        assert written_in("zh-hans") == "Simplified Chinese"
    with translation.override("fr"):
        assert written_in("en") == "anglais"
        assert written_in("fr") == ""
    with translation.override("es"):
        assert written_in("fr") == "francés"
        assert written_in("es-ar") == ""
        assert written_in("") == ""


# The lesson page


@pytest.mark.parametrize("reader", ["member", "group_member"])
def test_the_lesson_page_marks_the_lessons_words_not_the_interface(demo, write_lesson, reader):
    lesson = write_lesson(author=demo.member, **FRENCH)
    page = sign_in(getattr(demo, reader)).get(lesson.get_absolute_url()).content.decode()
    assert '<html lang="en"' in page
    assert '<h1 class="heading-l" lang="fr">' in page
    shown = languages_on(page)
    for words in ("guichet unique", "fait confiance", "agent d’accueil", "formulaires en ligne"):
        assert shown.languages_of(words) == {"fr"}, words
    for chrome in ("Technology area", "Outcome", "In French", "Endorsements", "What worked"):
        assert shown.languages_of(chrome) <= {"en"}, chrome
        assert shown.languages_of(chrome), chrome
    assert shown.languages_of("Audience:") == {"en"}
    assert "<dd>French</dd>" in page


def test_the_lesson_page_of_a_lesson_in_the_readers_language_does_not_name_it(demo, write_lesson):
    lesson = write_lesson(author=demo.member, title="Consent screens in English")
    page = sign_in(demo.group_member).get(lesson.get_absolute_url()).content.decode()
    assert '<h1 class="heading-l" lang="en">' in page
    assert "In English" not in page


def test_the_public_lesson_page_marks_the_lessons_words(demo, write_lesson):
    lesson = write_lesson(author=demo.member, audience=Audience.PUBLIC, **FRENCH)
    page = sign_in(None).get(lesson.get_public_url()).content.decode()
    shown = languages_on(page)
    assert shown.languages_of(FRENCH["title"]) == {"fr"}
    assert shown.languages_of("Les usagers") == {"fr"}
    assert shown.languages_of("Public lessons") == {"en"}
    assert shown.languages_of("In French") == {"en"}


# Writing: the language a lesson starts in


def selected_language(page):
    select = re.search(r'<select name="language".*?</select>', page, re.S).group()
    return re.findall(r'<option value="([^"]+)" selected>', select)


def write_page(user, **headers):
    url = reverse("lessons:create") + "?network=digital-nations"
    return sign_in(user).get(url, headers=headers).content.decode()


def test_a_new_lesson_starts_in_its_authors_language(demo):
    User.objects.filter(pk=demo.member.pk).update(languages=["es", "en"])
    demo.member.refresh_from_db()
    assert selected_language(write_page(demo.member)) == ["es"]
    # Said in Spanish on an English page or a French one: the author's language wins.
    assert selected_language(write_page(demo.member, **{"accept-language": "fr"})) == ["es"]


def test_a_new_lesson_by_an_author_of_another_language_starts_in_it(demo):
    User.objects.filter(pk=demo.group_member.pk).update(languages=["ko"])
    demo.group_member.refresh_from_db()
    assert author_language(demo.group_member) == "ko"
    assert selected_language(write_page(demo.group_member)) == ["ko"]


def test_a_new_lesson_by_an_author_who_said_no_language_starts_in_the_pages(demo):
    User.objects.filter(pk=demo.member.pk).update(languages=[])
    demo.member.refresh_from_db()
    assert selected_language(write_page(demo.member, **{"accept-language": "fr"})) == ["fr"]
    assert selected_language(write_page(demo.member, **{"accept-language": "en"})) == ["en"]


def test_editing_keeps_the_lessons_language(demo, write_lesson):
    User.objects.filter(pk=demo.member.pk).update(languages=["es"])
    lesson = write_lesson(author=demo.member, **FRENCH)
    page = sign_in(demo.member).get(reverse("lessons:edit", args=[lesson.pk])).content.decode()
    assert selected_language(page) == ["fr"]


def test_the_languages_offered_are_named_in_the_readers_language(demo):
    english = write_page(demo.member, **{"accept-language": "en"})
    french = write_page(demo.member, **{"accept-language": "fr"})
    assert '<option value="es">Spanish</option>' in english
    assert '<option value="es">Espagnol</option>' in french
    # Sorted as the reader reads them: "Allemand" (German) before "Anglais" (English) in French.
    options = re.findall(r'<option value="([^"]+)"', french.split('name="language"')[1])
    assert options.index("de") < options.index("en") < options.index("es")


def test_the_preview_marks_the_lessons_words_with_the_chosen_language(demo):
    from tests.lessons.test_lesson_writing import form_data

    response = sign_in(demo.member).post(
        reverse("lessons:create"), {**form_data(**FRENCH), "action": "preview"}
    )
    shown = languages_on(response.content.decode())
    assert shown.languages_of(FRENCH["title"]) == {"fr"}
    assert shown.languages_of("agent d’accueil") == {"fr"}
    assert shown.languages_of("Preview") == {"en"}
