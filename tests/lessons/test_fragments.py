"""Cached fragments (lesson cards, comments, the list's filters: lessons/templatetags/
fragments.py) show each reader what they may see, and nothing stale: a fragment rendered for one
reader is never served to another who may see less, and a change shows on the next view."""

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import formats, timezone, translation

from discussion import services as discussion
from lessons import services
from lessons.models import Audience, Endorsement
from moderation import services as moderation
from networks.models import Attribution
from tests.networks.conftest import sign_in


@pytest.fixture(autouse=True)
def _empty_fragment_cache():
    caches["template_fragments"].clear()
    yield
    caches["template_fragments"].clear()


def card_of(response, title):
    """The list item of the lesson card with this title."""
    cards = response.content.decode().split('<li class="lesson-card">')[1:]
    (card,) = [card.split("</li>")[0] for card in cards if title in card]
    return card


def page_of(user, lesson):
    return sign_in(user).get(lesson.get_absolute_url()).content.decode()


def test_a_hidden_comment_seen_by_a_moderator_stays_hidden_from_members(demo, comment):
    moderation.comment_hide(acting_user=demo.moderator, comment=comment, reason="Names a firm.")
    assert "Our supplier <strong>Acme</strong> overcharged." in page_of(
        demo.moderator, comment.lesson
    )
    page = page_of(demo.member, comment.lesson)
    assert "Acme" not in page
    assert "Hidden by a moderator." in page


def test_the_authors_edit_links_are_not_served_to_other_readers(demo, comment):
    edit_url = reverse("discussion:comment_edit", args=[comment.lesson_id, comment.pk])
    flag_url = reverse("moderation:comment_flag", args=[comment.lesson_id, comment.pk])
    own = page_of(demo.group_member, comment.lesson)
    assert edit_url in own
    assert flag_url not in own
    other = page_of(demo.member, comment.lesson)
    assert edit_url not in other
    assert flag_url in other


def test_an_edited_comment_shows_its_new_text_at_once(demo, comment):
    assert "Acme" in page_of(demo.member, comment.lesson)
    discussion.comment_edit(acting_user=demo.group_member, comment=comment, body="Ask the clerks.")
    page = page_of(demo.member, comment.lesson)
    assert "Ask the clerks." in page
    assert "Acme" not in page


def test_a_card_seen_inside_the_home_space_does_not_name_the_author_outside_it(demo, write_lesson):
    shared = {"audience": Audience.ALL_NETWORKS, "attribution": Attribution.CHATHAM}
    write_lesson(author=demo.member, title="Consent screens, second try", **shared)
    opened = write_lesson(author=demo.convenor, title="Consent in the tax portal", **shared)
    inside = page_of(demo.group_member, opened)
    assert "Consent screens, second try" in inside
    assert demo.member.get_full_name() in inside
    outside = page_of(demo.outsider, opened)
    assert "Consent screens, second try" in outside
    assert demo.member.get_full_name() not in outside
    assert "a member of Digital Nations" in outside


def test_a_card_shows_a_new_endorsement_count_at_once(demo, write_lesson):
    lesson = write_lesson(author=demo.member, title="Consent screens, third try")
    url = reverse("lessons:network_list", args=[demo.digital_nations.slug])
    reader = sign_in(demo.group_member)
    assert "0 endorsements" in card_of(reader.get(url), lesson.title)
    services.endorsement_toggle(
        acting_user=demo.moderator, lesson=lesson, kind=Endorsement.Kind.USEFUL
    )
    assert "1 endorsement" in card_of(reader.get(url), lesson.title)


def test_a_card_follows_the_readers_language(demo, write_lesson):
    lesson = write_lesson(author=demo.member, title="Consent screens, fourth try")
    url = reverse("lessons:network_list", args=[demo.digital_nations.slug])
    reader = sign_in(demo.group_member)
    shown = {}
    for language in ("en", "fr"):
        with translation.override(language):
            shown[language] = formats.date_format(
                timezone.localtime(lesson.published_at), "DATE_FORMAT"
            )
    assert shown["en"] != shown["fr"]
    english = reader.get(url, headers={"accept-language": "en"}).content.decode()
    french = reader.get(url, headers={"accept-language": "fr"}).content.decode()
    assert shown["en"] in english
    assert shown["fr"] not in english
    assert shown["fr"] in french
    assert shown["en"] not in french


def test_the_list_filters_show_what_each_request_asked(demo):
    url = reverse("lessons:network_list", args=[demo.digital_nations.slug])
    reader = sign_in(demo.member)
    wrong = reader.get(url, {"year": "1700"}).content.decode()
    assert 'value="1700"' in wrong
    assert 'aria-invalid="true"' in wrong
    right = reader.get(url, {"year": "2024"}).content.decode()
    assert 'value="2024"' in right
    assert 'aria-invalid="true"' not in right
    assert 'value="1700"' not in right


def test_a_search_result_seen_inside_does_not_name_the_author_outside(demo, write_lesson):
    shared = {"audience": Audience.ALL_NETWORKS, "attribution": Attribution.CHATHAM}
    lesson = write_lesson(author=demo.member, title="Consent screens, fifth try", **shared)
    url = reverse("search:page")
    inside = sign_in(demo.group_member).get(url, {"q": "fifth try"}).content.decode()
    assert f'id="result-{lesson.pk}"' in inside
    assert demo.member.get_full_name() in inside
    assert "Digital Nations" in inside
    outside = sign_in(demo.outsider).get(url, {"q": "fifth try"}).content.decode()
    assert f'id="result-{lesson.pk}"' in outside
    assert demo.member.get_full_name() not in outside
    assert "a member of Digital Nations" in outside
