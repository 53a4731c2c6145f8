"""What `make attack` (scripts/attack.py) found, kept found: each a page that answered 500."""

import pytest


@pytest.mark.parametrize(
    "query",
    [
        "network=%00",
        "network=digital-nations%00",
        "network=digital-nations&group=%00",
        "network=digital-nations&group=digital-identity%00",
    ],
)
def test_a_nul_character_in_the_home_space_of_a_new_lesson_is_a_bad_request(client, demo, query):
    # PostgreSQL refuses NUL characters in strings: this was a 500 (wapiti's file module); no
    # parameter may carry one (minilateral's bad-input middleware answers 400).
    client.force_login(demo.group_member)
    assert client.get(f"/lessons/new/?{query}").status_code == 400
    assert client.post(f"/lessons/new/?{query}", {"title": "x"}).status_code == 400


def test_the_home_space_of_a_new_lesson_still_opens_its_form(client, demo):
    client.force_login(demo.group_member)
    response = client.get("/lessons/new/?network=digital-nations&group=digital-identity")
    assert response.status_code == 200
    assert 'name="creation_token"' in response.text


# What `make faults` (scripts/faults.py) found, kept found.


def test_a_lesson_whose_publication_fails_leaves_no_draft_behind_the_error(
    client, demo, monkeypatch
):
    # The database went away between making the draft and publishing it: the official saw
    # the error page, yet the draft had been committed in a transaction of its own.
    from django.db import OperationalError

    from lessons import services
    from lessons.models import Lesson

    def connection_lost(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "lesson_publish", connection_lost)
    client.force_login(demo.member)
    page = client.get("/lessons/new/?network=digital-nations")
    form = page.context["form"]
    data = {
        name: "" if value is None else value
        for name, value in ((name, form[name].value()) for name in form.fields)
    }
    data.update(
        network="digital-nations",
        title="Published or nothing",
        summary="A lesson whose publication fails.",
        worked="Something.",
        did_not_work="Something else.",
        action="publish",
    )
    data = {k: v for k, v in data.items() if v != ""}
    with pytest.raises(OperationalError):
        client.post("/lessons/new/?network=digital-nations", data)
    assert not Lesson.objects.filter(title="Published or nothing").exists()
