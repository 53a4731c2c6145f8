"""The permission matrix of the questions pages, as data: URL x method x persona -> status.

The network question is asked in Digital Nations by Freja Holm of Denmark, under the Chatham
House rule; Min-jun Kim (the group member) answered it. The group question is Freja's too,
in the "Digital identity" working group, for the group only. None of the personas asked either.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from networks.models import Attribution, Country, Membership, User
from questions import services
from tests.networks.conftest import sign_in
from tests.urls_sweep import all_urls

PERSONAS = (
    "anonymous",
    "outsider",
    "suspended",
    "member",
    "group_member",
    "moderator",  # also Portugal's focal point
    "convenor",
    "focal_point",  # Denmark's, a plain member otherwise
)

#                  anon outsider suspended member group moderator convenor focal
SIGNED_IN = (302, 200, 200, 200, 200, 200, 200, 200)
MEMBERS = (302, 404, 404, 200, 200, 200, 200, 200)
MEMBERS_ACT = (302, 404, 404, 302, 302, 302, 302, 302)
GROUP = (302, 404, 404, 404, 200, 200, 200, 404)
NOT_THE_ASKER = (302, 404, 404, 403, 403, 403, 403, 403)
MODERATORS_ACT = (302, 404, 404, 403, 403, 302, 302, 403)
FOCAL_POINTS_ACT = (302, 404, 404, 403, 403, 302, 403, 302)
ANSWERER = (302, 404, 404, 403, 200, 403, 403, 403)
ANSWERER_ACTS = (302, 404, 404, 403, 302, 403, 403, 403)
# Flagging the answer: its readers, but not its author (the group member).
FLAGGING = (302, 404, 404, 200, 403, 200, 200, 200)
FLAGGING_ACTS = (302, 404, 404, 302, 403, 302, 302, 302)
# The network's moderation pages: its moderators; its other members are refused.
MODERATION = (302, 404, 404, 403, 403, 200, 200, 403)
MODERATION_ACTS = (302, 404, 404, 403, 403, 302, 302, 403)
# Asking in Digital Nations: its members; the others are told to choose a space of their own.
ASKING = (302, 200, 200, 302, 302, 302, 302, 302)
NOT_THIS_METHOD = (302, 405, 405, 405, 405, 405, 405, 405)


@pytest.fixture
def objects(cast):
    network = cast.digital_nations
    freja = User.objects.create_user(
        "freja.holm@digst.dk",
        cast.password,
        full_name="Freja Holm",
        country=Country.objects.get(code="DK"),
    )
    Membership.objects.create(user=freja, network=network)
    cast.group.members.add(freja)
    question = services.question_ask(
        acting_user=freja,
        network=network,
        title="Who runs your identity helpdesk?",
        body="In-house or outsourced, and why?",
        attribution=Attribution.CHATHAM,
    )
    group_question = services.question_ask(
        acting_user=freja,
        network=network,
        working_group=cast.group,
        title="Wallet certification: who tested yours?",
        body="We need a lab.",
    )
    answer = services.answer_post(
        acting_user=cast.group_member, question=question, body="In-house, since 2019."
    ).answer
    return SimpleNamespace(question=question, group_question=group_question, answer=answer)


def on(name, *parts):
    return lambda o: reverse(name, args=[part(o) for part in parts])


def question_pk(o):
    return o.question.pk


def answer_pk(o):
    return o.answer.pk


def an_answer(o):
    return {"body": "We outsourced it, and regretted it.", "attribution": "named"}


def a_question(o):
    return {
        "space": "digital-nations",
        "title": "Open source procurement: who signs off?",
        "body": "Legal, or the CIO?",
        "language": "en",
        "audience": "network",
        "attribution": "chatham",
    }


MATRIX = [
    # name, URL, GET statuses, POST statuses, POST data
    (
        "questions:network_list",
        lambda o: reverse("questions:network_list", args=["digital-nations"]),
        MEMBERS,
        NOT_THIS_METHOD,
        None,
    ),
    (
        "questions:group_list",
        lambda o: reverse("questions:group_list", args=["digital-nations", "digital-identity"]),
        GROUP,
        NOT_THIS_METHOD,
        None,
    ),
    ("questions:ask", lambda o: reverse("questions:ask"), SIGNED_IN, ASKING, a_question),
    ("questions:detail", on("questions:detail", question_pk), MEMBERS, NOT_THIS_METHOD, None),
    (
        "questions:edit",
        on("questions:edit", question_pk),
        NOT_THE_ASKER,
        NOT_THE_ASKER,
        lambda o: {"title": "Changed", "body": "Changed", "language": "en"},
    ),
    ("questions:close", on("questions:close", question_pk), NOT_THIS_METHOD, MODERATORS_ACT, None),
    (
        "questions:withdraw",
        on("questions:withdraw", question_pk),
        NOT_THIS_METHOD,
        MODERATORS_ACT,
        None,
    ),
    (
        "questions:mute",
        on("questions:mute", question_pk),
        NOT_THIS_METHOD,
        FOCAL_POINTS_ACT,
        lambda o: {"muted": "yes"},
    ),
    (
        "questions:to_lesson",
        on("questions:to_lesson", question_pk),
        NOT_THIS_METHOD,
        NOT_THE_ASKER,
        None,
    ),
    (
        "questions:answer_create",
        on("questions:answer_create", question_pk),
        MEMBERS,
        MEMBERS_ACT,
        an_answer,
    ),
    (
        "questions:answer_reply",
        on("questions:answer_reply", question_pk, answer_pk),
        MEMBERS,
        MEMBERS_ACT,
        an_answer,
    ),
    (
        "questions:answer_edit",
        on("questions:answer_edit", question_pk, answer_pk),
        ANSWERER,
        ANSWERER_ACTS,
        lambda o: {"body": "In-house, since 2018."},
    ),
    (
        "questions:answer_history",
        on("questions:answer_history", question_pk, answer_pk),
        MEMBERS,
        NOT_THIS_METHOD,
        None,
    ),
    (
        "questions:answer_helpful",
        on("questions:answer_helpful", question_pk, answer_pk),
        NOT_THIS_METHOD,
        NOT_THE_ASKER,
        lambda o: {"helpful": "yes"},
    ),
    (
        "questions:answer_flag",
        on("questions:answer_flag", question_pk, answer_pk),
        FLAGGING,
        FLAGGING_ACTS,
        lambda o: {"reason": "inaccurate", "note": "Not what we heard."},
    ),
    (
        "questions:answer_moderate",
        lambda o: reverse("questions:answer_moderate", args=["digital-nations", o.answer.pk]),
        MODERATION,
        NOT_THIS_METHOD,
        None,
    ),
    (
        "questions:answer_act",
        lambda o: reverse("questions:answer_act", args=["digital-nations", o.answer.pk, "hide"]),
        NOT_THIS_METHOD,
        MODERATION_ACTS,
        lambda o: {"hide-reason": "Names a supplier under a confidentiality clause."},
    ),
]

# The group question: for the group's members and the network's moderators only.
GROUP_ROWS = [
    ("detail", on("questions:detail", lambda o: o.group_question.pk), GROUP),
    ("answer_create", on("questions:answer_create", lambda o: o.group_question.pk), GROUP),
]


def _cases():
    for name, url, get_statuses, post_statuses, data in MATRIX:
        for method, statuses in (("GET", get_statuses), ("POST", post_statuses)):
            for persona, status in zip(PERSONAS, statuses, strict=True):
                yield pytest.param(
                    url, method, data, persona, status, id=f"{name}-{method}-{persona}"
                )
    for name, url, statuses in GROUP_ROWS:
        for persona, status in zip(PERSONAS, statuses, strict=True):
            yield pytest.param(url, "GET", None, persona, status, id=f"group-{name}-{persona}")


@pytest.mark.parametrize(("url", "method", "data", "persona", "status"), list(_cases()))
def test_questions_permission_matrix(cast, objects, url, method, data, persona, status):
    client = sign_in(getattr(cast, persona, None))
    address = url(objects)
    payload = data(objects) if data else {}
    response = client.get(address) if method == "GET" else client.post(address, payload)
    assert response.status_code == status, (
        f"{persona} {method} {address}: {response.status_code}, expected {status}"
    )
    if persona == "anonymous" and status == 302:
        assert response["Location"].startswith(reverse("account_login"))


def test_every_questions_page_has_rows_in_the_matrix():
    names = {name for name, _ in all_urls() if name.startswith("questions:")}
    in_matrix = {row[0] for row in MATRIX}
    assert names - in_matrix == set(), f"questions pages without a row: {names - in_matrix}"
    assert in_matrix - names == set(), f"rows of pages that no longer exist: {in_matrix - names}"
