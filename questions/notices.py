"""What officials hear of questions, through notifications (notifications/subjects.py): the
members of a question's network whom its audience takes in hear of a new question, by their
preference for that network (each one, or in the digest); the asker hears of each answer, and
those an answer mentions are told. A notification names its question (and answer) in `data`,
and is shown or sent only while its recipient may still open the question (and, for answers,
is inside its home space).

Every digest of a network also lists the questions of that network still waiting for an answer
(open, none posted or all hidden) that its recipient may answer: inside their home space, not
their own, not past the date answers were wanted by, not muted for their country, and not
already in that digest as a new question."""

from django.db.models import Exists, IntegerField, OuterRef, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lessons import access as lesson_access
from lessons.markdown import markdown_to_text
from notifications import services as notifications
from notifications import subjects
from notifications.models import Notification
from questions import access
from questions.models import Answer, Question

Kind = Notification.Kind
ANSWER_KINDS = (Kind.ANSWER, Kind.ANSWER_MENTION, Kind.ANSWER_MODERATION)
DIGEST_WAITING_QUESTIONS = 10  # at most, newest first


def question_asked(question):
    readers = access.question_readers_in_network(question).exclude(pk=question.author_id)
    return notifications.notify_subject(
        list(readers),
        kind=Kind.NEW_QUESTION,
        network=question.network,
        actor=question.author,
        data={"question": question.pk},
    )


def question_answered(answer, *, mentioned=(), only_mentioned=False):
    question = answer.question
    recipients = {user.pk: (user, Kind.ANSWER_MENTION) for user in mentioned}
    if not only_mentioned and question.author_id not in recipients:
        recipients[question.author_id] = (question.author, Kind.ANSWER)
    return notifications.notify_subject(
        recipients,
        kind=None,
        network=question.network,
        actor=answer.author,
        data={"question": question.pk, "answer": answer.pk},
    )


# What a moderator decided about an answer, as its author is told it (questions/moderation.py).
ANSWER_DECISIONS = {
    "answer.hide": gettext_lazy("A moderator hid your answer to “%(question)s”"),
    "answer.restore": gettext_lazy("A moderator showed your answer to “%(question)s” again"),
    "answer.hide_by_flags": gettext_lazy(
        "Your answer to “%(question)s” was flagged by several members and is hidden until a "
        "moderator looks at it"
    ),
}


def answer_decided(answer, *, decision, moderator=None, reason=""):
    """Tell an answer's author what was decided about it, and why if a moderator said."""
    return notifications.notify_subject(
        [answer.author],
        kind=Kind.ANSWER_MODERATION,
        network=answer.question.network,
        actor=moderator,
        data={
            "question": answer.question_id,
            "answer": answer.pk,
            "decision": decision,
            "reason": (reason or "").strip(),
        },
    )


def _visible_q(user):
    named = Cast(KeyTextTransform("question", OuterRef("data")), IntegerField())
    questions = access.visible_questions(user)
    inside = questions.filter(lesson_access.inside_home_space_q(user))
    return (~_answer_kinds() & Exists(questions.filter(pk=named))) | (
        _answer_kinds() & Exists(inside.filter(pk=named))
    )


def _answer_kinds():
    return Q(kind__in=ANSWER_KINDS)


def _may_see(user, data):
    question = Question.objects.select_related("network").filter(pk=data.get("question")).first()
    if question is None or not access.may_open_question(user, question):
        return False
    if "answer" in data:
        return access.is_inside_home_space(user, question)
    return True


def _prepare(notices):
    """The questions and answers a page of notices names, read in two queries."""
    question_ids = {n.data.get("question") for n in notices}
    answer_ids = {n.data.get("answer") for n in notices} - {None}
    questions = Question.objects.select_related("network", "author", "author_country").in_bulk(
        [pk for pk in question_ids if isinstance(pk, int)]
    )
    answers = Answer.objects.in_bulk([pk for pk in answer_ids if isinstance(pk, int)])
    for notice in notices:
        notice._question = questions.get(notice.data.get("question"))
        notice._answer = answers.get(notice.data.get("answer"))


def _describe(notification, viewer):
    if not hasattr(notification, "_question"):
        _prepare([notification])
    question, answer = notification._question, notification._answer
    if question is None:
        return _("A question that no longer exists"), "", ""
    person = notification.actor.display_name if notification.actor else _("someone")
    names = {"person": person, "question": question.title, "network": question.network.name}
    if notification.kind == Kind.NEW_QUESTION:
        names["author"] = access.shown_asker(viewer, question).label
        title = _("New question in %(network)s: “%(question)s”, from %(author)s") % names
        excerpt = Truncator(markdown_to_text(question.body)).chars(300)
        return title, excerpt, question.get_absolute_url()
    if notification.kind == Kind.ANSWER_MODERATION:
        decision = ANSWER_DECISIONS.get(notification.data.get("decision"))
        title = (decision or _("A moderator’s decision on your answer to “%(question)s”")) % names
        reason = notification.data.get("reason") or ""
        excerpt = _("Reason: %(reason)s") % {"reason": reason} if reason else ""
        url = answer.get_absolute_url() if answer is not None else question.get_absolute_url()
        return title, excerpt, url
    if notification.kind == Kind.ANSWER_MENTION:
        title = _("%(person)s mentioned you in an answer to “%(question)s”") % names
    else:
        title = _("%(person)s answered your question “%(question)s”") % names
    if answer is None or answer.question_id != question.pk:
        return title, "", question.get_absolute_url()
    answer.question = question
    excerpt = (
        Truncator(markdown_to_text(answer.body)).chars(300)
        if access.can_see_answer_text(viewer, answer)
        else _("The answer was hidden by a moderator.")
    )
    return title, excerpt, answer.get_absolute_url()


def waiting_for_answer(recipient, network, already=()):
    """The network's open questions without an answer that the recipient may answer, newest
    first, leaving out those the notifications `already` name as new questions."""
    named = [n.data.get("question") for n in already if n.kind == Kind.NEW_QUESTION]
    answered = Answer.objects.filter(question=OuterRef("pk"), is_hidden=False)
    today = timezone.localdate()
    questions = (
        access.listed_questions(recipient)
        .filter(lesson_access.inside_home_space_q(recipient))
        .filter(network=network, state=Question.State.OPEN)
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=today))
        .filter(~Exists(answered))
        .exclude(working_group__is_archived=True)
        .exclude(author=recipient)
        .exclude(pk__in=[pk for pk in named if isinstance(pk, int)])
    )
    if recipient.country_id is not None:
        questions = questions.exclude(mutes__country_id=recipient.country_id)
    return questions.select_related(
        "network", "working_group", "author", "author_country"
    ).order_by("-created_at", "-pk")


def _digest_items(recipient, network, notifications):
    questions = waiting_for_answer(recipient, network, notifications)[:DIGEST_WAITING_QUESTIONS]
    items = []
    for question in questions:
        names = {
            "question": question.title,
            "author": access.shown_asker(recipient, question).label,
        }
        items.append(
            subjects.DigestItem(
                title=_("“%(question)s”, asked by %(author)s") % names,
                excerpt=Truncator(markdown_to_text(question.body)).chars(300),
                url=question.get_absolute_url(),
            )
        )
    return items


def register():
    subjects.add_digest_section(
        subjects.DigestSection(
            heading=lambda: _("Questions waiting for an answer"), items=_digest_items
        )
    )
    subjects.register(
        subjects.Subject(
            kinds=(Kind.NEW_QUESTION, *ANSWER_KINDS),
            visible_q=_visible_q,
            may_see=_may_see,
            describe=_describe,
            prepare=_prepare,
        )
    )
