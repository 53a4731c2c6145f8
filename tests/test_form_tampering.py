"""Form tampering: what a form does not offer does not happen.

Every form-bearing page has rows here: a persona POSTs the form's legitimate fields plus fields
the form does not offer (another author, another network's ids, a role or an audience the user
may not choose, staff flags...), or ids of another network's objects in the address. Each row
checks the tampered values did not take effect: they were ignored, or the request was refused
(400, 403, 404 or the form again with its error), never a 500.

The guards at the end fail when a page that takes a POST (tests/forms_inventory.py) or one of
allauth's pages has no row and no reason to have none. Rows for a new form: append to ROWS.
The module is long because it is a table: a row or more for every form of the site.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from demo.lessons import DEMO_PDF
from discussion import services as discussion
from discussion.models import Comment, Follow
from lessons import services
from lessons.models import Attachment, AudienceRequest, Endorsement, Lesson
from moderation.models import Brief, Collection, CollectionItem, Flag, ModeratorNote
from networks import services as network_services
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
from notifications.models import Notification, NotificationPreference
from questions import services as question_services
from questions.models import Answer, AnswerFlag, CountryMute, Question
from search import services as search_services
from search.models import SavedSearch
from search.params import SearchParams
from tests.create_forms import INVITATION_TOKEN, flaggable_comment, world
from tests.forms_inventory import OFFICIALS_GET_ONLY, allauth_urls, officials_urls, post_urls
from tests.networks.conftest import sign_in

REFUSED = (400, 403, 404)
ANSWERED = (200, 302, *REFUSED)


def tamper_world(cast):
    """The create-form world, and another network's objects to smuggle ids of."""
    w = world(cast)
    dpi = cast.dpi
    w.dpi = dpi
    w.dpi_lesson = Lesson.objects.get(title__startswith="Data exchange layer")
    w.dpi_group = WorkingGroup.objects.filter(network=dpi).first()
    w.dpi_collection = Collection.objects.get(network=dpi, title="Payments and data exchange")
    w.dpi_membership = Membership.objects.get(user=cast.outsider, network=dpi)
    w.dpi_invitation = network_services.membership_invite(
        acting_user=cast.dpi_convenor, network=dpi, email="anil.rao@gov.in"
    ).invitation
    w.dpi_comment = discussion.comment_create(
        acting_user=cast.outsider, lesson=w.dpi_lesson, body="From India: what did it cost?"
    ).comment
    w.comment = discussion.comment_create(
        acting_user=cast.member, lesson=w.lesson, body="A question from Uruguay."
    ).comment
    w.dpi_attachment = services.attachment_add(
        acting_user=w.dpi_lesson.author,
        lesson=w.dpi_lesson,
        upload=ContentFile(DEMO_PDF, name="india.pdf"),
    )
    other = Lesson.objects.filter(network=cast.digital_nations, state="published").exclude(
        pk=w.lesson.pk
    )
    w.other_lesson = other.exclude(author=w.lesson.author).first()
    w.other_request = services.lesson_change_audience(
        acting_user=w.other_lesson.author, lesson=w.other_lesson, audience="all_networks"
    )
    w.moderators_search = search_services.saved_search_create(
        acting_user=cast.moderator, params=SearchParams.from_query({"q": "cloud"})
    )
    w.dpi_question = question_services.question_ask(
        acting_user=cast.outsider,
        network=dpi,
        title="Who hosts your data exchange layer?",
        body="In-house, or a shared service?",
    )
    w.dpi_answer = question_services.answer_post(
        acting_user=cast.dpi_convenor, question=w.dpi_question, body="A shared service."
    ).answer
    w.own_answer = question_services.answer_post(
        acting_user=cast.member, question=w.other_question, body="Ours held."
    ).answer
    return w


def snapshot(*querysets):
    """The rows of the querysets, as values: what must not change."""
    return [list(queryset.order_by("pk").values()) for queryset in querysets]


# What a form never offers, sent with every POST: none of it may take effect anywhere.
def smuggled(w):
    c = w.cast
    return {
        "author": c.moderator.pk,
        "author_id": c.moderator.pk,
        "user": c.convenor.pk,
        "user_id": c.convenor.pk,
        "owner": c.convenor.pk,
        "reporter": c.convenor.pk,
        "created_by": c.convenor.pk,
        "network": w.dpi.pk,
        "network_id": w.dpi.pk,
        "working_group": w.dpi_group.pk,
        "country": Country.objects.get(code="IN").pk,
        "is_staff": "on",
        "is_superuser": "on",
        "is_featured": "on",
        "is_hidden": "on",
        "state": "published",
        "slug": "tampered",
        "id": 1,
        "pk": 1,
    }


@dataclass
class Tamper:
    """One tampered POST. Whatever the row, another network's rows never change; `keeps`
    names rows that must not change either, and `check` what must (or must not) be true after."""

    name: str  # the URL's name
    who: Callable  # world -> the official posting (None: a visitor)
    url: Callable  # world -> the address posted to
    data: Callable = lambda w: {}  # world -> the legitimate fields and the tampered ones
    check: Callable | None = None  # (world, response) -> asserts
    keeps: Callable | None = None  # world -> a queryset whose rows must stay as they were
    statuses: tuple = ANSWERED
    label: str = ""

    @property
    def id(self):
        return f"{self.name}-{self.label}" if self.label else self.name


def dn(name, *args):
    return lambda w: reverse(name, args=[w.network.slug, *[arg(w) for arg in args]])


def lesson_url(name, *args):
    return lambda w: reverse(name, args=[w.lesson.pk, *[arg(w) for arg in args]])


def _dpi_rows(w):
    return [
        Membership.objects.filter(network=w.dpi),
        Lesson.objects.filter(network=w.dpi),
        WorkingGroup.objects.filter(network=w.dpi),
        Collection.objects.filter(network=w.dpi),
        Invitation.objects.filter(network=w.dpi),
        NetworkCountry.objects.filter(network=w.dpi),
        Comment.objects.filter(lesson__network=w.dpi),
        Attachment.objects.filter(lesson__network=w.dpi),
        Question.objects.filter(network=w.dpi),
        Answer.objects.filter(question__network=w.dpi),
        AnswerFlag.objects.filter(answer__question__network=w.dpi),
        CountryMute.objects.filter(question__network=w.dpi),
        User.objects.filter(is_staff=True),
    ]


def dpi_untouched_before(w):
    return snapshot(*_dpi_rows(w))


def dpi_untouched(w, earlier):
    assert snapshot(*_dpi_rows(w)) == earlier, "another network's rows changed"


def holds(predicate, message):
    def check(w, response):
        assert predicate(w), message

    return check


def _lucia(w):
    return Membership.objects.get(user=w.cast.member, network=w.network)


def _check_join(w, response):
    request = JoinRequest.objects.get(user=w.dane)
    assert (request.network, request.state) == (w.network, "pending")
    assert not Membership.objects.filter(user=w.dane).exists()
    assert not JoinRequest.objects.filter(user=w.cast.convenor).exists()


def _check_role(w, response):
    lucia = _lucia(w)
    assert (lucia.role, lucia.state) == ("moderator", "active")


def _check_invitation(w, response):
    invitation = Invitation.objects.get(email="new.person@gov.pt")
    assert invitation.network == w.network
    assert invitation.country.code == "PT"
    assert invitation.invited_by == w.cast.convenor
    assert invitation.role == "member"


def _check_country(w, response):
    assert NetworkCountry.objects.filter(network=w.network, country=w.new_country).exists()


def _check_group(w, response):
    group = WorkingGroup.objects.get(name="Cloud procurement")
    assert group.network == w.network
    assert group.slug == "cloud-procurement"
    assert not group.is_archived
    assert not group.members.exists()


def _check_group_edit(w, response):
    group = w.cast.group.__class__.objects.get(pk=w.cast.group.pk)
    assert (group.network, group.slug, group.is_archived) == (w.network, "digital-identity", False)


def _check_settings(w, response):
    network = w.network.__class__.objects.get(pk=w.network.pk)
    assert (network.name, network.slug) == (w.network.name, w.network.slug)
    # The threshold is the convenor's to set; the name and address are not.
    assert network.flag_threshold == 1


def _check_new_lesson(w, response):
    lesson = Lesson.objects.get(title="Tampered lesson")
    assert lesson.network == w.network
    assert lesson.working_group is None
    assert lesson.author == w.cast.member
    assert lesson.author_country.code == "UY"
    assert lesson.state == "draft"
    assert not lesson.is_featured
    assert not lesson.is_hidden
    assert lesson.audience == "network"  # public only once a moderator agrees:
    assert lesson.audience_requests.get().audience == "public"


def _check_edited_lesson(w, response):
    lesson = Lesson.objects.get(pk=w.lesson.pk)
    assert lesson.title == "Tampered title"
    assert lesson.author == w.lesson.author
    assert lesson.network == w.network
    assert lesson.audience == w.lesson.audience
    assert not lesson.is_featured
    assert lesson.state == "published"


def _check_comment(w, response):
    comment = Comment.objects.get(body="Tampered comment")
    assert (comment.author, comment.lesson, comment.parent) == (w.cast.member, w.lesson, None)


def _check_comment_flag(w, response):
    flag = Flag.objects.get(note="Tampered comment flag")
    assert (flag.reporter, flag.comment_id, flag.lesson) == (
        w.cast.focal_point,
        flaggable_comment(w),
        None,
    )
    assert flag.resolved_at is None


def _check_comment_hidden(w, response):
    comment = Comment.objects.get(pk=w.comment.pk)
    assert (comment.is_hidden, comment.hidden_by) == (True, w.cast.moderator)
    assert not Comment.objects.get(pk=w.dpi_comment.pk).is_hidden


def _check_flag(w, response):
    flag = Flag.objects.get(note="Tampered flag")
    assert (flag.reporter, flag.lesson) == (w.cast.focal_point, w.lesson)
    assert not Lesson.objects.get(pk=w.lesson.pk).is_hidden or flag.lesson.network.flag_threshold


def _check_note(w, response):
    note = ModeratorNote.objects.get(body="Tampered note")
    assert (note.author, note.lesson) == (w.cast.moderator, w.lesson)


def _check_collection(w, response):
    collection = Collection.objects.get(title="Tampered collection")
    assert collection.network == w.network
    assert collection.created_by == w.cast.moderator
    assert collection.slug == "tampered-collection"


def _check_saved(w, response):
    assert SavedSearch.objects.filter(name="Tampered", owner=w.cast.member).exists()
    assert not SavedSearch.objects.filter(name="Tampered").exclude(owner=w.cast.member).exists()


def _check_accept(w, response):
    membership = Membership.objects.get(user=w.invited)
    assert (membership.network, membership.role) == (w.network, "member")


def _check_profile(w, response):
    user = User.objects.get(pk=w.cast.member.pk)
    assert user.full_name == "Lucía Tampered"
    assert user.email == "lucia.perez@gub.uy"
    assert user.country.code == "UY"
    assert not user.is_staff
    assert not user.is_superuser
    assert user.is_active


def _check_language(w, response):
    user = User.objects.get(pk=w.cast.member.pk)
    assert user.language == "fr"
    assert user.full_name == "Lucía Pérez"
    assert user.email == "lucia.perez@gub.uy"
    assert user.country.code == "UY"
    assert not user.is_staff
    assert not user.is_superuser
    assert response.status_code == 302
    assert response["Location"] == "/"  # no next address is taken from the form


def _check_language_not_offered(w, response):
    assert User.objects.get(pk=w.cast.member.pk).language == ""
    assert response.status_code == 302


def _check_endorsement(w, response):
    mine = Endorsement.objects.filter(lesson=w.lesson, user=w.cast.focal_point)
    assert list(mine.values_list("kind", flat=True)) == ["useful"]
    assert not Endorsement.objects.filter(user=w.cast.convenor, lesson=w.lesson).exists()


def _check_attachment(w, response):
    attachment = Attachment.objects.get(original_name="tampered.pdf")
    assert (attachment.lesson, attachment.uploaded_by) == (w.lesson, w.lesson.author)


def _check_follow(w, response):
    assert Follow.objects.filter(user=w.cast.focal_point, lesson=w.lesson).exists()
    assert not Follow.objects.filter(user=w.cast.convenor, lesson=w.lesson).exists()


def _check_audience(w, response):
    assert Lesson.objects.get(pk=w.lesson.pk).audience == w.lesson.audience
    assert AudienceRequest.objects.filter(lesson=w.lesson, state="pending").exists()


def _check_brief_refused(w, response):
    assert not Brief.objects.filter(title="Tampered brief").exists()


def _check_preferences(w, response):
    assert not NotificationPreference.objects.filter(user=w.cast.member, network=w.dpi).exists()


def _check_deactivate(w, response):
    assert User.objects.get(pk=w.cast.convenor.pk).is_active


def _check_download(w, response):
    assert response.status_code == 200
    text = response.content.decode()
    assert w.cast.member.email in text
    assert w.cast.convenor.email not in text


def _check_read(w, response):
    assert Notification.objects.filter(recipient=w.lesson.author, read_at=None).exists()


def _check_signup(w, response):
    user = User.objects.filter(email="new.official@gub.uy").first()
    if user is not None:  # created: of the address's country, and nothing more
        assert user.country.code == "UY"
        assert not user.is_staff
        assert not user.is_superuser
        assert not Membership.objects.filter(user=user).exists()


def _check_question(w, response):
    question = Question.objects.get(title="Tampered question")
    assert (question.network, question.working_group) == (w.network, None)
    assert (question.author, question.author_country.code) == (w.cast.member, "UY")
    assert (question.state, question.audience, question.lesson) == ("open", "network", None)


def _check_edited_question(w, response):
    question = Question.objects.get(pk=w.question.pk)
    assert question.title == "Tampered question title"
    assert (question.network, question.working_group) == (w.network, None)
    assert (question.author, question.state) == (w.cast.member, "open")
    assert (question.audience, question.attribution) == (
        w.question.audience,
        w.question.attribution,
    )


def _check_mute(w, response):
    mutes = CountryMute.objects.filter(question=w.question)
    assert [(m.country.code, m.muted_by) for m in mutes] == [("DK", w.cast.focal_point)]
    assert not CountryMute.objects.filter(country__code="IN").exists()


def _check_question_lesson(w, response):
    lesson = Question.objects.get(pk=w.question.pk).lesson
    assert (lesson.network, lesson.working_group) == (w.network, None)
    assert (lesson.author, lesson.state) == (w.cast.member, "draft")
    assert not lesson.is_featured
    assert not lesson.is_hidden


def _check_answer(w, response):
    answer = Answer.objects.get(body="Tampered answer")
    assert (answer.question, answer.parent, answer.author) == (
        w.other_question,
        None,
        w.cast.member,
    )
    assert (answer.is_helpful, answer.is_hidden, answer.hidden_by) == (False, False, None)


def _check_edited_answer(w, response):
    answer = Answer.objects.get(pk=w.own_answer.pk)
    assert answer.body == "Tampered answer text"
    assert (answer.question, answer.parent, answer.author) == (
        w.other_question,
        None,
        w.cast.member,
    )
    assert (answer.is_helpful, answer.is_hidden) == (False, False)


def _check_answer_flag(w, response):
    flag = AnswerFlag.objects.get(note="Tampered answer flag")
    assert (flag.answer, flag.reporter) == (w.answer, w.cast.focal_point)
    assert (flag.resolved_at, flag.resolved_by) == (None, None)


def _check_answer_hidden(w, response):
    answer = Answer.objects.get(pk=w.answer.pk)
    assert (answer.is_hidden, answer.hidden_by) == (True, w.cast.moderator)
    assert answer.hidden_reason == "Names a supplier."


def _joaos_answer(w):
    """João's answer to Lucía's question, which she has not marked helpful."""
    return Answer.objects.get(question=w.question, author=w.cast.moderator).pk


def _ask_refused(space, audience, *, label):
    """Lucía asks where, or of whom, the form does not offer her: no question is asked."""
    return Tamper(
        "questions:ask",
        who=lambda w: w.cast.member,  # of Digital Nations, not of its "Digital identity" group
        url=lambda w: reverse("questions:ask"),
        data=lambda w: {
            "space": space,
            "title": "Asked where it may not be",
            "body": "B",
            "language": "en",
            "audience": audience,
            "attribution": "chatham",
        },
        keeps=lambda w: Question.objects.all(),
        label=label,
    )


def _dpi_id_in_url(name, object_url, *, who=lambda w: w.cast.convenor, data=lambda w: {}):
    """Another network's object named in this network's address: it does not exist here."""
    return Tamper(
        name,
        who=who,
        url=object_url,
        data=data,
        statuses=(404,),
        label="other-network-id",
    )


ROWS = [
    # Network pages
    Tamper(
        "networks:join",
        who=lambda w: w.dane,
        url=dn("networks:join"),
        data=lambda w: {"message": "Hello", "role": "convenor", "state": "approved"},
        check=_check_join,
    ),
    Tamper(
        "networks:leave",
        who=lambda w: w.cast.member,
        url=dn("networks:leave"),
        data=lambda w: {"membership": w.dpi_membership.pk},
    ),
    Tamper(
        "networks:member_role",
        who=lambda w: w.cast.convenor,
        url=lambda w: reverse("networks:member_role", args=[w.network.slug, _lucia(w).pk]),
        data=lambda w: {"role": "moderator", "membership": w.dpi_membership.pk},
        check=_check_role,
    ),
    Tamper(
        "networks:member_role",
        who=lambda w: w.cast.convenor,
        url=lambda w: reverse("networks:member_role", args=[w.network.slug, _lucia(w).pk]),
        data=lambda w: {"role": "superuser"},
        keeps=lambda w: Membership.objects.filter(network=w.network),
        label="role-not-offered",
    ),
    _dpi_id_in_url(
        "networks:member_role",
        lambda w: reverse("networks:member_role", args=[w.network.slug, w.dpi_membership.pk]),
        data=lambda w: {"role": "convenor"},
    ),
    _dpi_id_in_url(
        "networks:member_suspend",
        lambda w: reverse("networks:member_suspend", args=[w.network.slug, w.dpi_membership.pk]),
    ),
    _dpi_id_in_url(
        "networks:member_reinstate",
        lambda w: reverse("networks:member_reinstate", args=[w.network.slug, w.dpi_membership.pk]),
    ),
    _dpi_id_in_url(
        "networks:member_remove",
        lambda w: reverse("networks:member_remove", args=[w.network.slug, w.dpi_membership.pk]),
    ),
    Tamper(
        "networks:invitations",
        who=lambda w: w.cast.convenor,
        url=dn("networks:invitations"),
        data=lambda w: {
            "addresses": "new.person@gov.pt",
            "role": "member",
            "invited_by": w.cast.member.pk,
            "expires_at": "2100-01-01",
        },
        check=_check_invitation,
    ),
    Tamper(
        "networks:invitations",
        who=lambda w: w.cast.convenor,
        url=dn("networks:invitations"),
        data=lambda w: {"addresses": "anil.rao@gov.in", "role": "member"},
        keeps=lambda w: Invitation.objects.filter(network=w.network),
        label="non-member-country",
    ),
    _dpi_id_in_url(
        "networks:invitation_resend",
        lambda w: reverse("networks:invitation_resend", args=[w.network.slug, w.dpi_invitation.pk]),
    ),
    _dpi_id_in_url(
        "networks:invitation_revoke",
        lambda w: reverse("networks:invitation_revoke", args=[w.network.slug, w.dpi_invitation.pk]),
    ),
    Tamper(
        "networks:join_request_approve",
        who=lambda w: w.cast.convenor,
        url=lambda w: reverse(
            "networks:join_request_approve", args=[w.network.slug, w.cast.join_request.pk]
        ),
        data=lambda w: {"role": "convenor"},
        check=holds(
            lambda w: Membership.objects.get(user=w.cast.applicant).role == "member",
            "the applicant got a role nobody chose",
        ),
    ),
    Tamper(
        "networks:join_request_decline",
        who=lambda w: w.cast.moderator,  # Portugal's focal point: not the Danish request's
        url=lambda w: reverse(
            "networks:join_request_decline", args=[w.network.slug, w.cast.join_request.pk]
        ),
        data=lambda w: {},
        keeps=lambda w: JoinRequest.objects.all(),
        statuses=(404,),
        label="other-country",
    ),
    Tamper(
        "networks:countries",
        who=lambda w: w.cast.convenor,
        url=dn("networks:countries"),
        data=lambda w: {"country": w.new_country.pk, "is_active": "", "joined_on": "1990-01-01"},
        check=_check_country,
    ),
    _dpi_id_in_url(
        "networks:country_remove",
        lambda w: reverse("networks:country_remove", args=[w.network.slug, "IN"]),
    ),
    Tamper(
        "networks:focal_point_add",
        who=lambda w: w.cast.convenor,
        url=dn("networks:focal_point_add", lambda w: "UY"),
        data=lambda w: {"UY-official": w.cast.outsider.pk},  # not a member of this network
        keeps=lambda w: FocalPoint.objects.all(),
        label="outsider",
    ),
    Tamper(
        "networks:focal_point_add",
        who=lambda w: w.cast.convenor,
        url=dn("networks:focal_point_add", lambda w: "PT"),
        data=lambda w: {"PT-official": w.cast.member.pk},  # Lucía is of Uruguay
        keeps=lambda w: FocalPoint.objects.all(),
        label="other-country",
    ),
    _dpi_id_in_url(
        "networks:focal_point_remove",
        lambda w: reverse(
            "networks:focal_point_remove", args=[w.network.slug, "IN", w.cast.outsider.pk]
        ),
    ),
    Tamper(
        "networks:groups",
        who=lambda w: w.cast.convenor,
        url=dn("networks:groups"),
        data=lambda w: {
            "name": "Cloud procurement",
            "purpose": "",
            "slug": "digital-identity",
            "is_archived": "on",
            "members": [w.cast.outsider.pk],
        },
        check=_check_group,
    ),
    Tamper(
        "networks:group_edit",
        who=lambda w: w.cast.convenor,
        url=dn("networks:group_edit", lambda w: w.cast.group.slug),
        data=lambda w: {"name": "Digital identity wallets", "purpose": "", "is_archived": "on"},
        check=_check_group_edit,
    ),
    _dpi_id_in_url(
        "networks:group_edit",
        dn("networks:group_edit", lambda w: w.dpi_group.slug),
        data=lambda w: {"name": "Taken over", "purpose": ""},
    ),
    Tamper(
        "networks:group_members",
        who=lambda w: w.cast.convenor,
        url=dn("networks:group_members", lambda w: w.cast.group.slug),
        data=lambda w: {"members": [w.cast.outsider.pk, w.cast.member.pk]},
        keeps=lambda w: w.cast.group.members.all(),
        label="outsider",
    ),
    _dpi_id_in_url(
        "networks:group_archive", dn("networks:group_archive", lambda w: w.dpi_group.slug)
    ),
    Tamper(
        "networks:settings",
        who=lambda w: w.cast.convenor,
        url=dn("networks:settings"),
        data=lambda w: {
            "purpose": "A tampered charter.",
            "default_attribution": "named",
            "name": "Tampered",
            "flag_threshold": 1,
        },
        check=_check_settings,
    ),
    Tamper(
        "networks:settings",
        who=lambda w: w.cast.convenor,
        url=dn("networks:settings"),
        data=lambda w: {"purpose": "A charter.", "default_attribution": "anonymous"},
        keeps=lambda w: w.network.__class__.objects.filter(pk=w.network.pk),
        label="attribution-not-offered",
    ),
    # Lesson pages
    Tamper(
        "lessons:create",
        who=lambda w: w.cast.member,
        url=lambda w: reverse("lessons:create"),
        data=lambda w: {
            "network": "digital-nations",
            "title": "Tampered lesson",
            "summary": "S",
            "worked": "W",
            "did_not_work": "D",
            "language": "en",
            "stage": "pilot",
            "outcome": "mixed",
            "audience": "public",  # wider than the home space: asked, not granted
            "attribution": "chatham",
            "author_country": Country.objects.get(code="IN").pk,
            "published_at": "2020-01-01",
            "version": 99,
        },
        check=_check_new_lesson,
    ),
    Tamper(
        "lessons:create",
        who=lambda w: w.cast.member,
        url=lambda w: reverse("lessons:create"),
        data=lambda w: {"network": "dpi-peer-network", "title": "Into another network"},
        statuses=(404,),
        label="other-network",
    ),
    Tamper(
        "lessons:create",
        who=lambda w: w.cast.member,  # not in the "Digital identity" group
        url=lambda w: reverse("lessons:create"),
        data=lambda w: {
            "network": "digital-nations",
            "group": "digital-identity",
            "title": "Into a group",
        },
        keeps=lambda w: Lesson.objects.filter(title="Into a group"),
        statuses=(404,),
        label="group-not-mine",
    ),
    Tamper(
        "lessons:edit",
        who=lambda w: w.lesson.author,
        url=lesson_url("lessons:edit"),
        data=lambda w: {
            "title": "Tampered title",
            "summary": w.lesson.summary,
            "worked": w.lesson.worked,
            "did_not_work": w.lesson.did_not_work,
            "language": w.lesson.language,
            "stage": w.lesson.stage,
            "outcome": w.lesson.outcome,
            "audience": w.lesson.audience,
            "attribution": w.lesson.attribution,
            "version": w.lesson.version,
            "working_group": w.dpi_group.pk,
        },
        check=_check_edited_lesson,
    ),
    Tamper(
        "lessons:publish",
        who=lambda w: w.lesson.author,
        url=lambda w: reverse("lessons:publish", args=[w.dpi_lesson.pk]),
        data=lambda w: {},
        statuses=REFUSED,
        label="other-network-id",
    ),
    Tamper(
        "lessons:withdraw",
        who=lambda w: w.cast.moderator,  # Digital Nations' moderator, not India's
        url=lambda w: reverse("lessons:withdraw", args=[w.dpi_lesson.pk]),
        data=lambda w: {},
        statuses=REFUSED,
        label="other-network-id",
    ),
    Tamper(
        "lessons:restore",
        who=lambda w: w.cast.moderator,
        url=lambda w: reverse("lessons:restore", args=[w.dpi_lesson.pk]),
        data=lambda w: {},
        statuses=REFUSED,
        label="other-network-id",
    ),
    Tamper(
        "lessons:audience",
        who=lambda w: w.lesson.author,
        url=lesson_url("lessons:audience"),
        data=lambda w: {"audience": "public", "approved": "on", "decided_by": w.cast.moderator.pk},
        check=_check_audience,
    ),
    Tamper(
        "lessons:audience_decide",
        who=lambda w: w.cast.moderator,  # another lesson's request, under this lesson's address
        url=lambda w: reverse("lessons:audience_decide", args=[w.lesson.pk, w.other_request.pk]),
        data=lambda w: {"decision": "approve"},
        keeps=lambda w: AudienceRequest.objects.all(),
        statuses=(404,),
        label="other-lesson",
    ),
    Tamper(
        "lessons:audience_decide",
        who=lambda w: w.other_lesson.author,  # asked it herself: one person cannot widen
        url=lambda w: reverse(
            "lessons:audience_decide", args=[w.other_lesson.pk, w.other_request.pk]
        ),
        data=lambda w: {"decision": "approve"},
        keeps=lambda w: AudienceRequest.objects.all(),
        label="own-request",
    ),
    Tamper(
        "lessons:endorse",
        who=lambda w: w.cast.focal_point,
        url=lesson_url("lessons:endorse"),
        data=lambda w: {"kind": "useful", "lesson": w.dpi_lesson.pk},
        check=_check_endorsement,
    ),
    Tamper(
        "lessons:attachment_upload",
        who=lambda w: w.lesson.author,
        url=lesson_url("lessons:attachment_upload"),
        data=lambda w: {
            "file": ContentFile(DEMO_PDF, name="tampered.pdf"),
            "lesson": w.dpi_lesson.pk,
            "uploaded_by": w.cast.convenor.pk,
            "content_type": "text/html",
        },
        check=_check_attachment,
    ),
    _dpi_id_in_url(
        "lessons:attachment_delete",
        lambda w: reverse("lessons:attachment_delete", args=[w.lesson.pk, w.dpi_attachment.pk]),
        who=lambda w: w.lesson.author,
    ),
    Tamper(
        "discussion:comment_create",
        who=lambda w: w.cast.member,
        url=lesson_url("discussion:comment_create"),
        data=lambda w: {
            "body": "Tampered comment",
            "lesson": w.dpi_lesson.pk,
            "parent": w.dpi_comment.pk,
        },
        check=_check_comment,
    ),
    _dpi_id_in_url(
        "discussion:comment_reply",
        lesson_url("discussion:comment_reply", lambda w: w.dpi_comment.pk),
        who=lambda w: w.cast.member,
        data=lambda w: {"body": "A reply into another network"},
    ),
    _dpi_id_in_url(
        "discussion:comment_edit",
        lesson_url("discussion:comment_edit", lambda w: w.dpi_comment.pk),
        who=lambda w: w.cast.outsider,  # her own comment, under a lesson she cannot reach
        data=lambda w: {"body": "Edited"},
    ),
    Tamper(
        "discussion:comment_edit",
        who=lambda w: w.cast.member,
        url=lesson_url("discussion:comment_edit", lambda w: w.comment.pk),
        data=lambda w: {"body": "Edited comment", "author": w.cast.moderator.pk},
        check=holds(
            lambda w: Comment.objects.get(pk=w.comment.pk).author == w.cast.member,
            "the comment changed hands",
        ),
    ),
    _dpi_id_in_url(
        "discussion:comment_delete",
        lesson_url("discussion:comment_delete", lambda w: w.dpi_comment.pk),
        who=lambda w: w.cast.outsider,
    ),
    Tamper(
        "discussion:follow",
        who=lambda w: w.cast.focal_point,
        url=lesson_url("discussion:follow"),
        data=lambda w: {"follow": "yes"},
        check=_check_follow,
    ),
    Tamper(
        "notifications:read",
        who=lambda w: w.cast.member,
        url=lambda w: reverse("notifications:read"),
        data=lambda w: {"recipient": w.lesson.author.pk},
        check=_check_read,
    ),
    Tamper(
        "notifications:open",
        who=lambda w: w.cast.member,
        url=lambda w: (
            Notification.objects.filter(recipient=w.lesson.author).first().get_absolute_url()
        ),
        data=lambda w: {"next": "https://evil.example/", "recipient": w.cast.member.pk},
        check=_check_read,
        label="another-officials-notification",
    ),
    Tamper(
        "notifications:settings",
        who=lambda w: w.cast.member,
        url=lambda w: reverse("notifications:settings"),
        data=lambda w: {f"network_{w.network.pk}": "daily", f"network_{w.dpi.pk}": "never"},
        check=_check_preferences,
    ),
    Tamper(
        "notifications:unsubscribe",
        who=lambda w: None,
        url=lambda w: reverse("notifications:unsubscribe", args=["tampered-token"]),
        data=lambda w: {},
        keeps=lambda w: NotificationPreference.objects.all(),
        statuses=(404,),
        label="forged-link",
    ),
    Tamper(
        "moderation:flag",
        who=lambda w: w.cast.focal_point,
        url=lesson_url("moderation:flag"),
        data=lambda w: {"reason": "inaccurate", "note": "Tampered flag", "resolved_at": "2020"},
        check=_check_flag,
    ),
    Tamper(
        "moderation:flag",
        who=lambda w: w.cast.focal_point,
        url=lesson_url("moderation:flag"),
        data=lambda w: {"reason": "i-just-do-not-like-it"},
        keeps=lambda w: Flag.objects.all(),
        label="reason-not-offered",
    ),
    Tamper(
        "moderation:comment_flag",
        who=lambda w: w.cast.focal_point,
        url=lambda w: reverse("moderation:comment_flag", args=[w.lesson.pk, flaggable_comment(w)]),
        data=lambda w: {
            "reason": "rules",
            "note": "Tampered comment flag",
            "lesson": w.dpi_lesson.pk,
            "comment": w.dpi_comment.pk,
            "resolved_at": "2020",
        },
        check=_check_comment_flag,
    ),
    Tamper(
        "moderation:comment_flag",
        who=lambda w: w.cast.focal_point,
        url=lambda w: reverse("moderation:comment_flag", args=[w.lesson.pk, w.dpi_comment.pk]),
        data=lambda w: {"reason": "rules"},
        statuses=(404,),
        label="other-network-comment",
    ),
    Tamper(
        "moderation:comment_act",
        who=lambda w: w.cast.moderator,
        url=dn("moderation:comment_act", lambda w: w.comment.pk, lambda w: "hide"),
        data=lambda w: {
            "hide-reason": "Off topic.",
            "hidden_by": w.cast.convenor.pk,
            "comment": w.dpi_comment.pk,
        },
        check=_check_comment_hidden,
    ),
    _dpi_id_in_url(
        "moderation:comment_act",
        dn("moderation:comment_act", lambda w: w.dpi_comment.pk, lambda w: "hide"),
        who=lambda w: w.cast.moderator,
        data=lambda w: {"hide-reason": "Hidden from another network"},
    ),
    Tamper(
        "moderation:bulk",
        who=lambda w: w.cast.moderator,
        url=dn("moderation:bulk"),
        data=lambda w: {
            "action": "hide",
            "lesson": [w.lesson.pk, w.dpi_lesson.pk],
            "comment": [w.dpi_comment.pk],
            "reason": "Hidden with another network's items slipped in.",
        },
        check=holds(
            lambda w: Lesson.objects.get(pk=w.lesson.pk).is_hidden,
            "the network's own lesson was not hidden",
        ),
    ),
    Tamper(
        "moderation:merge_tags",
        who=lambda w: w.cast.moderator,
        url=dn("moderation:merge_tags"),
        data=lambda w: {"source": "data exchange", "target": "merged"},
        check=holds(
            lambda w: w.dpi_lesson.tags.filter(name="data exchange").exists(),
            "another network's lesson lost its tag",
        ),
    ),
    Tamper(
        "moderation:act",
        who=lambda w: w.cast.moderator,
        url=dn("moderation:act", lambda w: w.lesson.pk, lambda w: "note"),
        data=lambda w: {"body": "Tampered note", "lesson": w.dpi_lesson.pk},
        check=_check_note,
    ),
    _dpi_id_in_url(
        "moderation:act",
        dn("moderation:act", lambda w: w.dpi_lesson.pk, lambda w: "hide"),
        who=lambda w: w.cast.moderator,
        data=lambda w: {"reason": "Hidden from another network"},
    ),
    Tamper(
        "moderation:collection_create",
        who=lambda w: w.cast.moderator,
        url=dn("moderation:collection_create"),
        data=lambda w: {"title": "Tampered collection", "audience": "network"},
        check=_check_collection,
    ),
    Tamper(
        "moderation:collection_create",
        who=lambda w: w.cast.moderator,
        url=dn("moderation:collection_create"),
        data=lambda w: {"title": "A group collection", "audience": "group"},
        keeps=lambda w: Collection.objects.all(),
        label="audience-not-offered",
    ),
    Tamper(
        "moderation:collection_edit",
        who=lambda w: w.cast.moderator,
        url=dn("moderation:collection_edit", lambda w: w.collection.slug),
        data=lambda w: {"lesson": w.dpi_lesson.pk, "operation": "add"},
        keeps=lambda w: CollectionItem.objects.all(),
        label="other-network-lesson",
    ),
    _dpi_id_in_url(
        "moderation:collection_edit",
        dn("moderation:collection_edit", lambda w: w.dpi_collection.slug),
        who=lambda w: w.cast.moderator,
        data=lambda w: {"save": "1", "title": "Taken over", "audience": "public"},
    ),
    Tamper(
        "moderation:briefs",
        who=lambda w: w.cast.moderator,
        url=dn("moderation:briefs"),
        data=lambda w: {
            "title": "Tampered brief",
            "audience": "public",
            "collection": w.dpi_collection.pk,
        },
        check=_check_brief_refused,
        label="other-network-collection",
    ),
    Tamper(
        "search:saved_searches",
        who=lambda w: w.cast.member,
        url=lambda w: reverse("search:saved_searches"),
        data=lambda w: {"q": "tax", "name": "Tampered"},
        check=_check_saved,
    ),
    Tamper(
        "search:saved_search_delete",
        who=lambda w: w.cast.member,
        url=lambda w: reverse("search:saved_search_delete", args=[w.moderators_search.pk]),
        data=lambda w: {},
        keeps=lambda w: SavedSearch.objects.all(),
        statuses=(404,),
        label="not-mine",
    ),
    # Question pages
    Tamper(
        "questions:ask",
        who=lambda w: w.cast.member,
        url=lambda w: reverse("questions:ask"),
        data=lambda w: {
            "space": "digital-nations",
            "title": "Tampered question",
            "body": "B",
            "language": "en",
            "audience": "network",
            "attribution": "chatham",
            "author_country": Country.objects.get(code="IN").pk,
            "lesson": w.lesson.pk,
        },
        check=_check_question,
    ),
    _ask_refused("dpi-peer-network", "network", label="other-network"),
    _ask_refused("digital-nations/digital-identity", "group", label="group-not-mine"),
    _ask_refused("digital-nations", "group", label="audience-not-offered"),
    Tamper(
        "questions:edit",
        who=lambda w: w.cast.member,  # Lucía asked it
        url=lambda w: reverse("questions:edit", args=[w.question.pk]),
        data=lambda w: {
            "title": "Tampered question title",
            "body": w.question.body,
            "language": "en",
            "audience": "public",
            "attribution": "named",
            "lesson": w.lesson.pk,
        },
        check=_check_edited_question,
    ),
    _dpi_id_in_url(
        "questions:edit",
        lambda w: reverse("questions:edit", args=[w.dpi_question.pk]),
        who=lambda w: w.cast.member,
        data=lambda w: {"title": "Taken over", "body": "B", "language": "en"},
    ),
    Tamper(
        "questions:close",
        who=lambda w: w.cast.focal_point,  # a member who neither asked nor moderates
        url=lambda w: reverse("questions:close", args=[w.question.pk]),
        keeps=lambda w: Question.objects.filter(pk=w.question.pk),
        statuses=(403,),
        label="not-the-asker",
    ),
    _dpi_id_in_url(
        "questions:close",
        lambda w: reverse("questions:close", args=[w.dpi_question.pk]),
        who=lambda w: w.cast.moderator,  # Digital Nations' moderator, not India's
    ),
    Tamper(
        "questions:withdraw",
        who=lambda w: w.cast.focal_point,
        url=lambda w: reverse("questions:withdraw", args=[w.question.pk]),
        keeps=lambda w: Question.objects.filter(pk=w.question.pk),
        statuses=(403,),
        label="not-the-asker",
    ),
    _dpi_id_in_url(
        "questions:withdraw",
        lambda w: reverse("questions:withdraw", args=[w.dpi_question.pk]),
        who=lambda w: w.cast.moderator,
    ),
    Tamper(
        "questions:mute",
        who=lambda w: w.cast.focal_point,  # Denmark's focal point; India is smuggled
        url=lambda w: reverse("questions:mute", args=[w.question.pk]),
        data=lambda w: {"muted": "yes", "muted_by": w.cast.convenor.pk},
        check=_check_mute,
    ),
    _dpi_id_in_url(
        "questions:mute",
        lambda w: reverse("questions:mute", args=[w.dpi_question.pk]),
        who=lambda w: w.cast.focal_point,
        data=lambda w: {"muted": "yes"},
    ),
    Tamper(
        "questions:to_lesson",
        who=lambda w: w.cast.member,  # her question, with Kadri's answer marked helpful
        url=lambda w: reverse("questions:to_lesson", args=[w.question.pk]),
        data=lambda w: {"audience": "public", "is_featured": "on"},
        check=_check_question_lesson,
    ),
    _dpi_id_in_url(
        "questions:to_lesson",
        lambda w: reverse("questions:to_lesson", args=[w.dpi_question.pk]),
        who=lambda w: w.cast.member,
    ),
    Tamper(
        "questions:answer_create",
        who=lambda w: w.cast.member,
        url=lambda w: reverse("questions:answer_create", args=[w.other_question.pk]),
        data=lambda w: {
            "body": "Tampered answer",
            "attribution": "named",
            "question": w.dpi_question.pk,
            "parent": w.dpi_answer.pk,
            "is_helpful": "on",
            "hidden_by": w.cast.convenor.pk,
        },
        check=_check_answer,
    ),
    _dpi_id_in_url(
        "questions:answer_create",
        lambda w: reverse("questions:answer_create", args=[w.dpi_question.pk]),
        who=lambda w: w.cast.member,
        data=lambda w: {"body": "An answer into another network", "attribution": "named"},
    ),
    _dpi_id_in_url(
        "questions:answer_reply",
        lambda w: reverse("questions:answer_reply", args=[w.question.pk, w.dpi_answer.pk]),
        who=lambda w: w.cast.member,
        data=lambda w: {"body": "A reply into another network", "attribution": "named"},
    ),
    Tamper(
        "questions:answer_edit",
        who=lambda w: w.cast.member,
        url=lambda w: reverse("questions:answer_edit", args=[w.other_question.pk, w.own_answer.pk]),
        data=lambda w: {
            "body": "Tampered answer text",
            "question": w.dpi_question.pk,
            "parent": w.answer.pk,
            "is_helpful": "on",
        },
        check=_check_edited_answer,
    ),
    Tamper(
        "questions:answer_edit",
        who=lambda w: w.cast.member,  # Kadri wrote it
        url=lambda w: reverse("questions:answer_edit", args=[w.question.pk, w.answer.pk]),
        data=lambda w: {"body": "Taken over"},
        keeps=lambda w: Answer.objects.filter(pk=w.answer.pk),
        statuses=(403,),
        label="not-mine",
    ),
    Tamper(
        "questions:answer_helpful",
        who=lambda w: w.cast.convenor,  # Lucía asked it: only she marks what helped her
        url=lambda w: reverse("questions:answer_helpful", args=[w.question.pk, _joaos_answer(w)]),
        data=lambda w: {"helpful": "yes"},
        keeps=lambda w: Answer.objects.filter(question=w.question),
        statuses=(403,),
        label="not-the-asker",
    ),
    _dpi_id_in_url(
        "questions:answer_helpful",
        lambda w: reverse("questions:answer_helpful", args=[w.question.pk, w.dpi_answer.pk]),
        who=lambda w: w.cast.member,
        data=lambda w: {"helpful": "yes"},
    ),
    Tamper(
        "questions:answer_flag",
        who=lambda w: w.cast.focal_point,
        url=lambda w: reverse("questions:answer_flag", args=[w.question.pk, w.answer.pk]),
        data=lambda w: {
            "reason": "inaccurate",
            "note": "Tampered answer flag",
            "answer": w.dpi_answer.pk,
            "resolved_at": "2020-01-01T00:00:00Z",
            "resolved_by": w.cast.moderator.pk,
        },
        check=_check_answer_flag,
    ),
    Tamper(
        "questions:answer_flag",
        who=lambda w: w.cast.focal_point,
        url=lambda w: reverse("questions:answer_flag", args=[w.question.pk, w.answer.pk]),
        data=lambda w: {"reason": "i-just-do-not-like-it"},
        keeps=lambda w: AnswerFlag.objects.all(),
        label="reason-not-offered",
    ),
    _dpi_id_in_url(
        "questions:answer_flag",
        lambda w: reverse("questions:answer_flag", args=[w.question.pk, w.dpi_answer.pk]),
        who=lambda w: w.cast.focal_point,
        data=lambda w: {"reason": "inaccurate"},
    ),
    Tamper(
        "questions:answer_act",
        who=lambda w: w.cast.moderator,
        url=dn("questions:answer_act", lambda w: w.answer.pk, lambda w: "hide"),
        data=lambda w: {
            "hide-reason": "Names a supplier.",
            "hidden_by": w.cast.convenor.pk,
            "answer": w.dpi_answer.pk,
        },
        check=_check_answer_hidden,
    ),
    Tamper(
        "questions:answer_act",
        who=lambda w: w.cast.moderator,
        url=dn("questions:answer_act", lambda w: w.answer.pk, lambda w: "delete"),
        keeps=lambda w: Answer.objects.all(),
        statuses=(404,),
        label="action-not-offered",
    ),
    _dpi_id_in_url(
        "questions:answer_act",
        dn("questions:answer_act", lambda w: w.dpi_answer.pk, lambda w: "hide"),
        who=lambda w: w.cast.moderator,
        data=lambda w: {"hide-reason": "Hidden from another network"},
    ),
    # The official's own pages
    Tamper(
        "officials:invitation_accept",
        who=lambda w: w.invited,
        url=lambda w: reverse("officials:invitation_accept", args=[INVITATION_TOKEN]),
        data=lambda w: {"role": "convenor", "network": w.dpi.pk},
        check=_check_accept,
    ),
    Tamper(
        "officials:profile_edit",
        who=lambda w: w.cast.member,
        url=lambda w: reverse("officials:profile_edit"),
        data=lambda w: {
            "full_name": "Lucía Tampered",
            "email": "taken.over@gov.in",
            "is_active": "on",
            "password": "x",
            "deactivated_at": "2020-01-01",
        },
        check=_check_profile,
    ),
    Tamper(
        "officials:set_language",
        who=lambda w: w.cast.member,
        url=lambda w: reverse("officials:set_language"),
        data=lambda w: {
            "language": "fr",
            "next": "https://elsewhere.example/",
            "full_name": "Lucía Tampered",
            "email": "taken.over@gov.in",
        },
        check=_check_language,
    ),
    Tamper(
        "officials:set_language",
        who=lambda w: w.cast.member,
        url=lambda w: reverse("officials:set_language"),
        data=lambda w: {"language": "xx"},
        check=_check_language_not_offered,
        label="language-not-offered",
    ),
    Tamper(
        "officials:deactivate",
        who=lambda w: w.cast.member,
        url=lambda w: reverse("officials:deactivate"),
        data=lambda w: {},
        check=_check_deactivate,
    ),
    Tamper(
        "officials:data_download",
        who=lambda w: w.cast.member,
        url=lambda w: reverse("officials:data_download"),
        data=lambda w: {},
        check=_check_download,
        statuses=(200,),
    ),
    # allauth's sign-up, with our profile fields: the country comes from the address only.
    Tamper(
        "account_signup",
        who=lambda w: None,
        url=lambda w: reverse("account_signup"),
        data=lambda w: {
            "email": "new.official@gub.uy",
            "full_name": "New Official",
            "password1": "a long enough passphrase 2026",
            "password2": "a long enough passphrase 2026",
            "role": "convenor",
        },
        check=_check_signup,
    ),
]


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_tampered_form_changes_nothing_it_does_not_offer(cast, row):
    w = tamper_world(cast)
    client = sign_in(row.who(w))
    other_network = dpi_untouched_before(w)
    kept = snapshot(row.keeps(w)) if row.keeps else None
    url = row.url(w)
    response = client.post(url, {**smuggled(w), **row.data(w)})
    assert response.status_code in row.statuses, (
        f"POST {url}: {response.status_code}, expected one of {row.statuses}"
    )
    dpi_untouched(w, other_network)
    if row.keeps:
        assert snapshot(row.keeps(w)) == kept, "rows the form must not change changed"
    if row.check:
        row.check(w, response)


# Pages that take a POST with no row above, and why none is needed.
NO_TAMPERING_ROW = {}

# allauth's own pages: their forms are allauth's, bound to allauth's models (email addresses,
# passwords, authenticators, sessions); none binds a field of ours from the request. The
# sign-up, which adds our profile fields, has its row above.
ALLAUTH_FORMS = {
    "account_change_password",
    "account_confirm_email",
    "account_confirm_login_code",
    "account_confirm_reauthentication_code",
    "account_email",
    "account_email_verification_sent",
    "account_inactive",
    "account_login",
    "account_logout",
    "account_reauthenticate",
    "account_request_reauthentication_code",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_set_password",
    "mfa_activate_totp",
    "mfa_add_webauthn",
    "mfa_authenticate",
    "mfa_deactivate_totp",
    "mfa_download_recovery_codes",
    "mfa_edit_webauthn",
    "mfa_generate_recovery_codes",
    "mfa_index",
    "mfa_list_webauthn",
    "mfa_login_webauthn",
    "mfa_reauthenticate",
    "mfa_reauthenticate_webauthn",
    "mfa_remove_webauthn",
    "mfa_view_recovery_codes",
    "usersessions_list",
    "socialaccount_connections",
    "socialaccount_login_cancelled",
    "socialaccount_login_error",
    "socialaccount_signup",
    "openid_connect_login",
    "openid_connect_callback",
}


def test_every_form_has_tampering_rows():
    rows = {row.name for row in ROWS}
    missing = post_urls() - rows - set(NO_TAMPERING_ROW)
    assert missing == set(), f"forms without a tampering row: {missing}"
    assert rows - post_urls() - allauth_urls() == set()


def test_every_allauth_page_is_covered_or_explained():
    explained = ALLAUTH_FORMS | {row.name for row in ROWS}
    assert allauth_urls() - explained == set(), f"unexplained: {allauth_urls() - explained}"


def test_the_inventory_knows_every_official_page():
    assert officials_urls() == (post_urls() & officials_urls()) | OFFICIALS_GET_ONLY
