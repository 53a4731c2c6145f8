"""A small network built for the insights tests, whose every figure is known.

Insight Exchange: Estonia (Kai, convenor, in the "Pilots" working group), Portugal (Pedro,
moderator, not in the group), Uruguay (Ana, Bruno, Carla), Denmark (Dora, in the group), and
Canada (no one). What happens there, this month unless said otherwise:

- Uruguay writes 4 named lessons (one of them two months ago); Portugal 1 under its country;
  Estonia 3 under the Chatham House rule;
- Uruguay comments 3 times on Portugal's lesson; Denmark once on a Chatham House lesson;
- Dora writes a lesson for the group only, and comments twice on it;
- Bruno and Dora mark Uruguay's first lesson (Ana's) "we applied this".

And its questions, named unless said otherwise, asked this month, hours after it began:

- Ana asks "Uruguay question 1" (hour 0): Pedro answers 2 hours later, Dora 5 hours later,
  Bruno replies to Pedro's answer;
- Ana asks "Uruguay question 4" (hour 1): no answer;
- Bruno asks "Uruguay question 2" (hour 2): Pedro answers 10 hours later;
- Dora asks the group only "Group question" (hour 3): no answer;
- Kai asks "Unattributed question" under the Chatham House rule (hour 4): Ana answers 20 hours
  later, Bruno and Carla after her;
- last month, Carla asks "Uruguay question 3" under her country: Pedro answers 30 hours later.

So the first answers come after 2, 10, 20 and 30 hours: a median of 15 hours.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from discussion import services as discussion
from lessons import services as lessons
from lessons.models import Audience, Endorsement, Lesson
from networks.models import (
    Attribution,
    Country,
    Invitation,
    Membership,
    Network,
    NetworkCountry,
    User,
    WorkingGroup,
)
from questions import services as questions
from questions.models import Answer, Question

TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def official(email, code, name):
    return User.objects.create_user(
        email, "x" * 12, full_name=name, country=Country.objects.get(code=code)
    )


def publish(author, network, title, *, attribution=Attribution.NAMED, group=None):
    data = {
        "title": title,
        "summary": "What happened.",
        "worked": "Something.",
        "did_not_work": "Something else.",
        "attribution": attribution,
        "stage": Lesson.Stage.PILOT,
        "outcome": Lesson.Outcome.MIXED,
        "language": "en",
    }
    lesson = lessons.lesson_create(
        acting_user=author, network=network, working_group=group, data=data
    )
    return lessons.lesson_publish(acting_user=author, lesson=lesson)


def this_month(hours):
    """A moment `hours` after this calendar month began (in the time zone)."""
    start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return start + timedelta(hours=hours)


def ask(author, network, title, *, at, attribution=Attribution.NAMED, group=None):
    """A question asked at the moment `at`."""
    question = questions.question_ask(
        acting_user=author,
        network=network,
        working_group=group,
        title=title,
        body="Has anyone done this? What happened?",
        attribution=attribution,
    )
    Question.objects.filter(pk=question.pk).update(created_at=at)
    question.created_at = at
    return question


def answer(author, question, *, hours_later, attribution=Attribution.NAMED, parent=None):
    """An answer (or a reply to `parent`) posted `hours_later` after the question was asked."""
    posted = questions.answer_post(
        acting_user=author,
        question=question,
        body="We did.",
        attribution=attribution,
        parent=parent,
    ).answer
    posted.created_at = question.created_at + timedelta(hours=hours_later)
    Answer.objects.filter(pk=posted.pk).update(created_at=posted.created_at)
    return posted


def months_ago(count):
    """A moment `count` calendar months before this one, on the 10th (in the time zone)."""
    moment = timezone.localtime().replace(day=10)
    for _ in range(count):
        moment = (moment.replace(day=1) - timedelta(days=1)).replace(day=10)
    return moment


@pytest.fixture
def world(demo):
    network = Network.objects.create(
        name="Insight Exchange", slug="insight-exchange", purpose="Testing insights."
    )
    for code in ("EE", "PT", "UY", "DK", "CA"):
        NetworkCountry.objects.create(network=network, country=Country.objects.get(code=code))
    kai = official("kai@riik.ee", "EE", "Kai Kask")
    pedro = official("pedro@gov.pt", "PT", "Pedro Costa")
    ana = official("ana@gub.uy", "UY", "Ana Díaz")
    bruno = official("bruno@gub.uy", "UY", "Bruno Sosa")
    carla = official("carla@gub.uy", "UY", "Carla Ríos")
    dora = official("dora@digst.dk", "DK", "Dora Holm")
    roles = {kai: Membership.Role.CONVENOR, pedro: Membership.Role.MODERATOR}
    for user in (kai, pedro, ana, bruno, carla, dora):
        Membership.objects.create(
            user=user, network=network, role=roles.get(user, Membership.Role.MEMBER)
        )
    for user in (kai, pedro):
        TOTP.activate(user, TOTP_SECRET)
    group = WorkingGroup.objects.create(network=network, name="Pilots", slug="pilots")
    group.members.add(kai, dora)

    uruguay = [
        publish(author, network, f"Uruguay lesson {n}")
        for n, author in enumerate((ana, bruno, carla, ana), start=1)
    ]
    Lesson.objects.filter(pk=uruguay[3].pk).update(published_at=months_ago(2))
    portugal = publish(pedro, network, "Portugal lesson", attribution=Attribution.COUNTRY)
    chatham = [
        publish(kai, network, f"Unattributed lesson {n}", attribution=Attribution.CHATHAM)
        for n in (1, 2, 3)
    ]
    for author in (ana, bruno, carla):
        discussion.comment_create(acting_user=author, lesson=portugal, body="How?")
    discussion.comment_create(acting_user=dora, lesson=chatham[0], body="Which vendor?")
    grouped = publish(dora, network, "Group-only pilot", group=group)
    assert grouped.audience == Audience.GROUP
    for _ in range(2):
        discussion.comment_create(acting_user=dora, lesson=grouped, body="An update.")
    for user in (bruno, dora):
        lessons.endorsement_toggle(
            acting_user=user, lesson=uruguay[0], kind=Endorsement.Kind.APPLIED
        )
    asked = {
        "uruguay_1": ask(ana, network, "Uruguay question 1", at=this_month(0)),
        "waiting": ask(ana, network, "Uruguay question 4", at=this_month(1)),
        "uruguay_2": ask(bruno, network, "Uruguay question 2", at=this_month(2)),
        "group": ask(dora, network, "Group question", at=this_month(3), group=group),
        "chatham": ask(
            kai, network, "Unattributed question", at=this_month(4), attribution=Attribution.CHATHAM
        ),
        "uruguay_3": ask(
            carla,
            network,
            "Uruguay question 3",
            at=months_ago(1),
            attribution=Attribution.COUNTRY,
        ),
    }
    assert asked["group"].audience == Audience.GROUP
    first = answer(pedro, asked["uruguay_1"], hours_later=2)
    answer(dora, asked["uruguay_1"], hours_later=5)
    answer(bruno, asked["uruguay_1"], hours_later=6, parent=first)
    answer(pedro, asked["uruguay_2"], hours_later=10)
    for hours, author in enumerate((ana, bruno, carla), start=20):
        answer(author, asked["chatham"], hours_later=hours)
    answer(pedro, asked["uruguay_3"], hours_later=30)
    return SimpleNamespace(
        network=network,
        questions=asked,
        convenor=kai,
        moderator=pedro,
        uruguayans=[ana, bruno, carla],
        dane=dora,
        group=group,
        uruguay=uruguay,
        portugal=portugal,
        chatham=chatham,
        grouped=grouped,
    )


def invite(network, by, email, *, expires_in_days, **more):
    return Invitation.objects.create(
        email=email,
        network=network,
        country=Country.objects.get(code="UY"),
        invited_by=by,
        token_digest=email.ljust(64, "0")[:64],
        expires_at=timezone.now() + timedelta(days=expires_in_days),
        **more,
    )
