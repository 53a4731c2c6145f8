"""One address per lesson: `/lessons/<id>/` shows a visitor the public page of a public lesson,
with its files, and asks them to sign in for any other lesson, as before."""

import pytest

from lessons.models import Lesson
from tests.networks.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def public(demo):
    return Lesson.objects.get(title__startswith="Digital identity wallet")


def test_visitor_reads_a_public_lesson_at_its_own_address(client, public):
    response = client.get(public.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert public.title in body
    attachment = public.attachments.get()
    assert attachment.get_absolute_url() in body  # listed, for the visitor to download
    assert "comment" not in body.lower().split("<main", 1)[1].split("</main>")[0]


def test_visitor_downloads_a_public_lessons_file(client, public):
    attachment = public.attachments.get()
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_visitor_is_asked_to_sign_in_for_a_private_lesson_and_its_files(client, demo):
    private = Lesson.objects.get(title__startswith="AI chatbot for tax questions")
    for path in (private.get_absolute_url(), f"{private.get_absolute_url()}attachments/1/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_visitor_is_asked_to_sign_in_for_a_hidden_public_lesson(client, public):
    Lesson.objects.filter(pk=public.pk).update(is_hidden=True)
    response = client.get(public.get_absolute_url())
    assert response.status_code == 302
    response = client.get(public.attachments.get().get_absolute_url())
    assert response.status_code == 302


def test_signed_in_reader_still_gets_the_lesson_page(demo, public):
    response = sign_in(demo.member).get(public.get_absolute_url())
    assert response.status_code == 200
    assert b"Endorse" in response.content or b"endorse" in response.content
