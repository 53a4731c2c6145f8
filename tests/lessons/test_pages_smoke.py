"""Every lesson page renders for the people it is for."""

from django.urls import reverse

from lessons.models import Lesson


def test_member_pages_render(client, demo, write_lesson):
    lesson = write_lesson()
    client.force_login(demo.member)
    for url in [
        reverse("lessons:network_list", args=["digital-nations"]),
        reverse("lessons:network_list", args=["digital-nations"]) + "?sort=applied&stage=pilot",
        reverse("lessons:mine"),
        reverse("lessons:create"),
        reverse("lessons:create") + "?network=digital-nations",
        lesson.get_absolute_url(),
        reverse("lessons:edit", args=[lesson.pk]),
        reverse("lessons:history", args=[lesson.pk]),
        reverse("lessons:audience", args=[lesson.pk]),
        reverse("lessons:tag_suggestions") + "?network=digital-nations&q=con",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url


def test_public_pages_render_for_visitors(client, demo):
    lesson = Lesson.objects.filter(audience="public", state="published").first()
    assert client.get(reverse("lessons:public_list")).status_code == 200
    assert client.get(lesson.get_public_url()).status_code == 200
    feed = client.get(reverse("lessons:public_feed"))
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("application/atom+xml")
