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
def test_a_nul_character_in_the_home_space_of_a_new_lesson_is_a_missing_space(
    client, demo, query
):
    # PostgreSQL refuses NUL characters in strings: this was a 500 (wapiti's file module).
    client.force_login(demo.group_member)
    assert client.get(f"/lessons/new/?{query}").status_code == 404
    assert client.post(f"/lessons/new/?{query}", {"title": "x"}).status_code == 404


def test_the_home_space_of_a_new_lesson_still_opens_its_form(client, demo):
    client.force_login(demo.group_member)
    response = client.get("/lessons/new/?network=digital-nations&group=digital-identity")
    assert response.status_code == 200
    assert 'name="creation_token"' in response.text
