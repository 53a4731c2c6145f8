"""Every form that creates something, as data, for the double-submission tests.

Each row says who submits it, where, with what, and which rows one submission should add. The
forms carry a one-time token (networks/submissions.py; the lesson and comment forms their own
`creation_token`), taken here from the page the official would have opened.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.urls import reverse

from demo.lessons import DEMO_PDF
from discussion.models import Comment
from lessons.models import Attachment, AudienceRequest, Endorsement, Lesson
from moderation.models import Brief, Collection, CollectionItem, Flag, ModeratorNote
from networks import services
from networks.models import (
    Country,
    FocalPoint,
    Invitation,
    JoinRequest,
    Membership,
    NetworkCountry,
    User,
    WorkingGroup,
)
from networks.submissions import FIELD
from questions.models import Answer, AnswerFlag, Question
from search.models import SavedSearch

INVITATION_TOKEN = "double-submission-test-invitation-secret"


def world(cast):
    """What the rows act on, beside the demo cast."""
    network = cast.digital_nations
    lesson = Lesson.objects.get(title__startswith="AI chatbot for tax questions")
    dane = User.objects.create_user(
        "freja.holm@digst.dk",
        cast.password,
        full_name="Freja Holm",
        country=Country.objects.get(code="DK"),
    )
    invited = User.objects.create_user(
        "ines.costa@gov.pt",
        cast.password,
        full_name="Inês Costa",
        country=Country.objects.get(code="PT"),
    )
    Invitation.objects.create(
        email=invited.email,
        network=network,
        country=invited.country,
        invited_by=cast.convenor,
        token_digest=services.token_digest(INVITATION_TOKEN),
        expires_at=services.invitations._invitation_expiry(),
    )
    return SimpleNamespace(
        cast=cast,
        network=network,
        lesson=lesson,
        collection=Collection.objects.get(title="Digital identity playbook"),
        dane=dane,
        invited=invited,
        new_country=Country.objects.exclude(
            pk__in=NetworkCountry.objects.filter(network=network).values("country_id")
        ).first(),
        # The demo's questions: Lucía's, answered by Kadri (the convenor), and João's.
        question=Question.objects.get(title__startswith="Has anyone moved their national ID"),
        other_question=Question.objects.get(title__startswith="Cloud exit clauses"),
        answer=Answer.objects.get(
            question__title__startswith="Has anyone moved", author=cast.convenor
        ),
    )


@dataclass
class CreateForm:
    name: str  # the URL's name
    who: Callable  # world -> the official who submits
    page: Callable  # world -> the page showing the form (its token is taken from there)
    action: Callable  # world -> where the form posts
    data: Callable  # world -> the fields, without the token
    rows: Callable  # world -> the queryset one submission adds a row to
    token: str = FIELD


def dn(name, *args):
    return lambda w: reverse(name, args=[w.network.slug, *[arg(w) for arg in args]])


def on_lesson(name):
    return lambda w: reverse(name, args=[w.lesson.pk])


def on_answer(name):
    return lambda w: reverse(name, args=[w.question.pk, w.answer.pk])


CREATE_FORMS = [
    CreateForm(
        "networks:join",
        who=lambda w: w.dane,
        page=dn("networks:join"),
        action=dn("networks:join"),
        data=lambda w: {"message": "I work on Denmark's digital identity."},
        rows=lambda w: JoinRequest.objects.filter(user=w.dane),
    ),
    CreateForm(
        "networks:invitations",
        who=lambda w: w.cast.convenor,
        page=dn("networks:invitations"),
        action=dn("networks:invitations"),
        data=lambda w: {"addresses": "new.person@gov.pt", "role": Membership.Role.MEMBER},
        rows=lambda w: Invitation.objects.filter(email="new.person@gov.pt"),
    ),
    CreateForm(
        "networks:countries",
        who=lambda w: w.cast.convenor,
        page=dn("networks:countries"),
        action=dn("networks:countries"),
        data=lambda w: {"country": w.new_country.pk},
        rows=lambda w: NetworkCountry.objects.filter(network=w.network, country=w.new_country),
    ),
    CreateForm(
        "networks:groups",
        who=lambda w: w.cast.convenor,
        page=dn("networks:groups"),
        action=dn("networks:groups"),
        data=lambda w: {"name": "Cloud procurement", "purpose": "Buying cloud together."},
        rows=lambda w: WorkingGroup.objects.filter(network=w.network, name="Cloud procurement"),
    ),
    CreateForm(
        "officials:invitation_accept",
        who=lambda w: w.invited,
        page=lambda w: reverse("officials:invitation_accept", args=[INVITATION_TOKEN]),
        action=lambda w: reverse("officials:invitation_accept", args=[INVITATION_TOKEN]),
        data=lambda w: {},
        rows=lambda w: Membership.objects.filter(user=w.invited),
    ),
    CreateForm(
        "lessons:create",
        who=lambda w: w.cast.member,
        page=lambda w: reverse("lessons:create") + "?network=digital-nations",
        action=lambda w: reverse("lessons:create") + "?network=digital-nations",
        data=lambda w: {
            "title": "Open source licences: ask legal first",
            "summary": "What we learned publishing code.",
            "stage": Lesson.Stage.PILOT,
            "outcome": Lesson.Outcome.MIXED,
            "language": "en",
            "audience": "network",
            "attribution": "chatham",
            "worked": "A licence chosen early.",
            "did_not_work": "Asking legal at the end.",
            "action": "publish",
        },
        rows=lambda w: Lesson.objects.filter(title="Open source licences: ask legal first"),
        token="creation_token",
    ),
    CreateForm(
        "discussion:comment_create",
        who=lambda w: w.cast.member,
        page=on_lesson("discussion:comment_create"),
        action=on_lesson("discussion:comment_create"),
        data=lambda w: {"body": "How long did the hand-over take to design?"},
        rows=lambda w: Comment.objects.filter(body="How long did the hand-over take to design?"),
        token="creation_token",
    ),
    CreateForm(
        "discussion:comment_reply",
        who=lambda w: w.cast.member,
        page=lambda w: reverse("discussion:comment_reply", args=[w.lesson.pk, _first_comment(w)]),
        action=lambda w: reverse("discussion:comment_reply", args=[w.lesson.pk, _first_comment(w)]),
        data=lambda w: {"body": "Same question from Uruguay."},
        rows=lambda w: Comment.objects.filter(body="Same question from Uruguay."),
        token="creation_token",
    ),
    CreateForm(
        "questions:ask",
        who=lambda w: w.cast.member,
        page=lambda w: reverse("questions:ask") + "?network=digital-nations",
        action=lambda w: reverse("questions:ask") + "?network=digital-nations",
        data=lambda w: {
            "space": "digital-nations",
            "title": "Open data portals: who keeps yours current?",
            "body": "A team of its own, or each ministry?",
            "language": "en",
            "audience": "network",
            "attribution": "chatham",
        },
        rows=lambda w: Question.objects.filter(title="Open data portals: who keeps yours current?"),
        token="creation_token",
    ),
    CreateForm(
        "questions:answer_create",
        who=lambda w: w.cast.member,
        page=lambda w: reverse("questions:detail", args=[w.other_question.pk]),
        action=lambda w: reverse("questions:answer_create", args=[w.other_question.pk]),
        data=lambda w: {
            "body": "Ours held, but the export took four months.",
            "attribution": "named",
        },
        rows=lambda w: Answer.objects.filter(body="Ours held, but the export took four months."),
        token="creation_token",
    ),
    CreateForm(
        "questions:answer_reply",
        who=lambda w: w.cast.member,
        page=on_answer("questions:answer_reply"),
        action=on_answer("questions:answer_reply"),
        data=lambda w: {"body": "How many counter staff did you train?", "attribution": "named"},
        rows=lambda w: Answer.objects.filter(parent=w.answer),
        token="creation_token",
    ),
    CreateForm(
        "questions:answer_flag",
        who=lambda w: w.cast.focal_point,  # Mette, who reads the answer but did not write it
        page=on_answer("questions:answer_flag"),
        action=on_answer("questions:answer_flag"),
        data=lambda w: {"reason": "inaccurate", "note": "The call figures are Estonia's of 2019."},
        rows=lambda w: AnswerFlag.objects.filter(answer=w.answer, reporter=w.cast.focal_point),
    ),
    CreateForm(
        "moderation:flag",
        who=lambda w: w.cast.focal_point,  # Lucía flagged this lesson in the demo
        page=on_lesson("moderation:flag"),
        action=on_lesson("moderation:flag"),
        data=lambda w: {"reason": "inaccurate", "note": "The figures are from 2019."},
        rows=lambda w: Flag.objects.filter(lesson=w.lesson, reporter=w.cast.focal_point),
    ),
    CreateForm(
        "moderation:comment_flag",
        who=lambda w: w.cast.focal_point,
        page=lambda w: reverse("moderation:comment_flag", args=[w.lesson.pk, flaggable_comment(w)]),
        action=lambda w: reverse(
            "moderation:comment_flag", args=[w.lesson.pk, flaggable_comment(w)]
        ),
        data=lambda w: {"reason": "rules", "note": "Names a supplier's staff."},
        rows=lambda w: Flag.objects.filter(
            comment_id=flaggable_comment(w), reporter=w.cast.focal_point
        ),
    ),
    CreateForm(
        "lessons:endorse",
        who=lambda w: w.cast.focal_point,  # Lucía endorsed this lesson in the demo
        page=on_lesson("lessons:detail"),
        action=on_lesson("lessons:endorse"),
        data=lambda w: {"kind": "useful"},
        rows=lambda w: Endorsement.objects.filter(lesson=w.lesson, user=w.cast.focal_point),
    ),
    CreateForm(
        "lessons:attachment_upload",
        who=lambda w: w.lesson.author,
        page=on_lesson("lessons:edit"),  # files are managed beside the edit form
        action=on_lesson("lessons:attachment_upload"),
        data=lambda w: {"file": ContentFile(DEMO_PDF, name="report.pdf")},
        rows=lambda w: Attachment.objects.filter(lesson=w.lesson),
    ),
    CreateForm(
        "lessons:audience",
        who=lambda w: w.lesson.author,
        page=on_lesson("lessons:audience"),
        action=on_lesson("lessons:audience"),
        data=lambda w: {"audience": "all_networks"},
        rows=lambda w: AudienceRequest.objects.filter(lesson=w.lesson),
    ),
    CreateForm(
        "moderation:act",
        who=lambda w: w.cast.moderator,
        page=dn("moderation:item", lambda w: w.lesson.pk),
        action=dn("moderation:act", lambda w: w.lesson.pk, lambda w: "note"),
        data=lambda w: {"body": "Check the escalation figures with the author."},
        rows=lambda w: ModeratorNote.objects.filter(lesson=w.lesson),
    ),
    CreateForm(
        "moderation:collection_create",
        who=lambda w: w.cast.moderator,
        page=dn("moderation:collection_create"),
        action=dn("moderation:collection_create"),
        data=lambda w: {"title": "Chatbots", "introduction": "", "audience": "network"},
        rows=lambda w: Collection.objects.filter(network=w.network, title="Chatbots"),
    ),
    CreateForm(
        "moderation:collection_edit",
        who=lambda w: w.cast.moderator,
        page=dn("moderation:collection_edit", lambda w: w.collection.slug),
        action=dn("moderation:collection_edit", lambda w: w.collection.slug),
        data=lambda w: {"lesson": w.lesson.pk, "operation": "add"},
        rows=lambda w: CollectionItem.objects.filter(collection=w.collection),
    ),
    CreateForm(
        "moderation:briefs",
        who=lambda w: w.cast.moderator,
        page=dn("moderation:briefs"),
        action=dn("moderation:briefs"),
        data=lambda w: {"title": "For the OECD", "audience": "public", "collection": ""},
        rows=lambda w: Brief.objects.filter(network=w.network),
    ),
    CreateForm(
        "search:saved_searches",
        who=lambda w: w.cast.member,
        page=lambda w: reverse("search:page") + "?q=chatbot",
        action=lambda w: reverse("search:saved_searches"),
        data=lambda w: {"q": "chatbot", "name": "Chatbots"},
        rows=lambda w: SavedSearch.objects.filter(owner=w.cast.member),
    ),
    # Last: it makes Lucía a focal point, who then must set up a second factor first.
    CreateForm(
        "networks:focal_point_add",
        who=lambda w: w.cast.convenor,
        page=dn("networks:countries"),
        action=dn("networks:focal_point_add", lambda w: "UY"),
        data=lambda w: {"UY-official": w.cast.member.pk},
        rows=lambda w: FocalPoint.objects.filter(user=w.cast.member),
    ),
]


def flaggable_comment(w):
    """A comment on the lesson that the flagging official did not write."""
    comments = Comment.objects.filter(lesson=w.lesson, deleted_at=None, is_hidden=False)
    return comments.exclude(author=w.cast.focal_point).order_by("pk").first().pk


def _first_comment(w):
    return Comment.objects.filter(lesson=w.lesson, parent=None).order_by("pk").first().pk


def token_on_page(html, *, field, page, action):
    """The one-time token of the form on `page` that posts to `action`."""
    value = re.compile(rf'name="{field}"[^>]*value="([0-9a-f-]{{36}})"')
    for attributes, body in re.findall(r"<form\b([^>]*)>(.*?)</form>", html, re.S):
        target = re.search(r'action="([^"]*)"', attributes)
        target = target.group(1) if target else page
        if target.split("?")[0] == action.split("?")[0] and value.search(body):
            return value.search(body).group(1)
    raise AssertionError(f"no form posting to {action} with a {field} on {page}")
