"""Double submission: a double click, a back-and-resubmit, or two concurrent POSTs of the same
form create exactly one row, and the repeat lands on the first one's result with no error.

The forms are in tests/create_forms.py; the guard below keeps that list whole.
"""

import copy
import threading

import pytest
from django.contrib.messages import constants
from django.db import connection

from lessons.models import Endorsement
from networks.models import FormSubmission
from tests.create_forms import CREATE_FORMS, token_on_page, world
from tests.forms_inventory import NOT_CREATING, post_urls
from tests.networks.conftest import sign_in

IDS = [form.name for form in CREATE_FORMS]


def _open_form(form, w):
    """Sign in as who submits, open the page with the form: the client and a payload maker
    (a new one for each POST: an uploaded file is read once)."""
    client = sign_in(form.who(w))
    page, action = form.page(w), form.action(w)
    response = client.get(page)
    assert response.status_code == 200, f"{page}: {response.status_code}"
    token = token_on_page(
        response.content.decode(), field=form.token, page=page.split("?")[0], action=action
    )
    return client, lambda: {**form.data(w), form.token: token}


def _errors_shown(client, location):
    landed = client.get(location)
    return [m.message for m in landed.context["messages"] if m.level >= constants.ERROR]


@pytest.mark.parametrize("form", CREATE_FORMS, ids=IDS)
def test_the_same_submission_twice_creates_one_row(cast, form):
    w = world(cast)
    client, payload = _open_form(form, w)
    before = form.rows(w).count()
    first = client.post(form.action(w), payload())
    assert first.status_code == 302, first.content.decode()[:2000]
    assert form.rows(w).count() == before + 1
    assert _errors_shown(client, first["Location"]) == []

    again = client.post(form.action(w), payload())  # a double click, or back and resubmit

    assert form.rows(w).count() == before + 1
    assert again.status_code == 302
    assert again["Location"] == first["Location"]
    assert _errors_shown(client, again["Location"]) == []


def test_a_toggle_submitted_twice_toggles_once(cast):
    """Endorsing marks and unmarks: the repeat of one click must not take it back."""
    form = next(form for form in CREATE_FORMS if form.name == "lessons:endorse")
    w = world(cast)
    client, payload = _open_form(form, w)
    client.post(form.action(w), payload())
    client.post(form.action(w), payload())
    endorsed = Endorsement.objects.filter(lesson=w.lesson, user=cast.focal_point, kind="useful")
    assert endorsed.exists()


def test_a_submission_that_failed_can_be_sent_again(cast):
    """A form error gives the token back: corrected, the same form goes through."""
    form = next(form for form in CREATE_FORMS if form.name == "networks:groups")
    w = world(cast)
    client, payload = _open_form(form, w)
    refused = client.post(form.action(w), {**payload(), "name": ""})
    assert refused.status_code == 200  # the form again, with its error
    assert not FormSubmission.objects.filter(token=payload()[form.token]).exists()
    assert client.post(form.action(w), payload()).status_code == 302
    assert form.rows(w).count() == 1


def test_another_officials_token_is_refused(cast):
    form = next(form for form in CREATE_FORMS if form.name == "search:saved_searches")
    w = world(cast)
    client, payload = _open_form(form, w)
    assert client.post(form.action(w), payload()).status_code == 302
    other = sign_in(cast.moderator)
    assert other.post(form.action(w), payload()).status_code == 400
    assert not other.get(form.action(w)).context["saved"]


def _clone(client):
    twin = copy.copy(client)
    twin.cookies = copy.deepcopy(client.cookies)
    return twin


def _post_concurrently(client, action, payload, count=2):
    """`count` POSTs of the same submission at the same moment, each on its own connection."""
    clients = [client] + [_clone(client) for _ in range(count - 1)]
    barrier = threading.Barrier(count)
    responses, errors = [None] * count, []

    def post(index):
        try:
            barrier.wait(timeout=30)
            responses[index] = clients[index].post(action, payload())
        except Exception as error:  # reported below, with the form's name
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return responses, errors


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_create_one_row_for_every_create_form(cast):
    """Two POSTs of one submission racing on two real PostgreSQL connections (one test for
    every form: a transactional test rebuilds the demo world, which takes a while)."""
    w = world(cast)
    failures = []
    for form in CREATE_FORMS:
        client, payload = _open_form(form, w)
        before = form.rows(w).count()
        responses, errors = _post_concurrently(client, form.action(w), payload)
        after = form.rows(w).count()
        statuses = [response.status_code if response else None for response in responses]
        locations = {response.get("Location") for response in responses if response}
        if errors or after != before + 1 or statuses != [302, 302] or len(locations) != 1:
            failures.append(f"{form.name}: {after - before} rows, {statuses}, {errors}")
    assert failures == []


def test_every_create_form_has_a_row():
    """A new form-bearing URL is either a create form (a row in tests/create_forms.py) or
    listed, with the reason, in tests/forms_inventory.py's NOT_CREATING."""
    creating = {form.name for form in CREATE_FORMS}
    unclassified = post_urls() - creating - set(NOT_CREATING)
    assert unclassified == set(), f"forms neither creating nor exempted: {unclassified}"
    assert creating & set(NOT_CREATING) == set()
