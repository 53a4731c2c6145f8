"""Every write about questions and answers. The habits of every service: keyword-only
arguments, the acting user, one transaction, the policy checked here too (questions/access.py),
rows locked against a double submit, audit events for what changes a question's life; the
notifications follow in the same transaction (notifications.services), and so does the search
index of what changed (questions/index.py)."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from discussion.services import find_mentions
from lessons import access as lesson_access
from lessons import services as lesson_services
from lessons.models import Audience, Tag, normalise_tag
from networks.models import Attribution
from networks.services import ActionRefused, audit_record
from questions import access, index, notices
from questions.models import (
    ANSWER_MAX_LENGTH,
    QUESTION_BODY_MAX_LENGTH,
    Answer,
    AnswerRevision,
    CountryMute,
    Question,
)

MAX_TAGS = 12


def _clean_question(title, body, deadline, *, creating):
    title = " ".join((title or "").split())
    body = (body or "").strip()
    if not title:
        raise ActionRefused(_("Give your question a title."))
    if len(title) > 200:
        raise ActionRefused(_("Keep the title to 200 characters or fewer."))
    if not body:
        raise ActionRefused(_("Say what you would like to know."))
    if len(body) > QUESTION_BODY_MAX_LENGTH:
        raise ActionRefused(
            _("Keep your question to %(limit)s characters or fewer (it has %(count)s).")
            % {"limit": f"{QUESTION_BODY_MAX_LENGTH:,}", "count": f"{len(body):,}"}
        )
    if deadline is not None and creating and deadline < timezone.localdate():
        raise ActionRefused(_("The date answers are wanted by is in the past."))
    return title, body


def _clean_answer(body):
    body = (body or "").strip()
    if not body:
        raise ActionRefused(_("Write your answer before posting it."))
    if len(body) > ANSWER_MAX_LENGTH:
        raise ActionRefused(
            _("Keep your answer to %(limit)s characters or fewer (it has %(count)s).")
            % {"limit": f"{ANSWER_MAX_LENGTH:,}", "count": f"{len(body):,}"}
        )
    return body


def _set_tags(question, names):
    names = {normalise_tag(name) for name in names} - {""}
    if len(names) > MAX_TAGS:
        raise ActionRefused(_("Use at most 12 tags."))
    question.tags.set([Tag.objects.get_or_create(name=name)[0] for name in sorted(names)])


def _locked(question):
    return (
        Question.objects.select_for_update(of=("self",))
        .select_related("network", "working_group")
        .get(pk=question.pk)
    )


@transaction.atomic
def question_ask(
    *,
    acting_user,
    network,
    working_group=None,
    title,
    body,
    audience=None,
    attribution=None,
    language=None,
    policy_area=None,
    tags=(),
    deadline=None,
    creation_token=None,
):
    """Ask a question in a network, or in one of its working groups the asker belongs to."""
    if not access.can_ask_in(acting_user, network, working_group):
        raise PermissionDenied
    if creation_token is not None:
        existing = Question.objects.filter(creation_token=creation_token).first()
        if existing is not None:
            if existing.author_id != acting_user.pk:
                raise PermissionDenied
            return existing  # a double submit: the first one made it
    title, body = _clean_question(title, body, deadline, creating=True)
    home = Audience.GROUP if working_group else Audience.NETWORK
    audience = audience or home
    if audience not in access.audience_choices(in_working_group=working_group is not None):
        raise ActionRefused(_("That audience is not available for this question."))
    attribution = attribution or network.default_attribution
    if attribution not in Attribution.values:
        raise ActionRefused(_("Choose how you are shown to readers outside the home space."))
    question = Question(
        network=network,
        working_group=working_group,
        author=acting_user,
        author_country=acting_user.country,
        title=title,
        body=body,
        audience=audience,
        attribution=attribution,
        language=language or acting_user.email_language,
        policy_area=policy_area,
        deadline=deadline,
        creation_token=creation_token,
    )
    try:
        with transaction.atomic():
            question.save()
    except IntegrityError:
        # Two submits raced: the other one created it.
        return Question.objects.get(creation_token=creation_token)
    _set_tags(question, tags)
    index.reindex_questions([question.pk])
    audit_record(
        actor=acting_user,
        action="question.ask",
        network=network,
        target=question,
        changes={"audience": audience, "attribution": attribution},
    )
    notices.question_asked(question)
    return question


@transaction.atomic
def question_edit(
    *, acting_user, question, title, body, policy_area=None, tags=(), deadline=None, language=None
):
    """The asker changes their open question."""
    question = _locked(question)
    if not access.can_edit_question(acting_user, question):
        raise PermissionDenied
    title, body = _clean_question(title, body, deadline, creating=deadline != question.deadline)
    question.title, question.body = title, body
    question.policy_area = policy_area
    question.deadline = deadline
    if language:
        question.language = language
    question.updated_at = timezone.now()
    question.save()
    _set_tags(question, tags)
    index.reindex_questions([question.pk])
    return question


def _change_state(acting_user, question, state, action):
    previous = question.state
    question.state = state
    question.updated_at = timezone.now()
    question.save(update_fields=["state", "updated_at"])
    audit_record(
        actor=acting_user,
        action=action,
        network=question.network,
        target=question,
        changes={"state": previous},
    )
    return question


@transaction.atomic
def question_close(*, acting_user, question):
    """No more answers: the asker has what they needed (or a moderator closes it)."""
    question = _locked(question)
    if not access.can_close_question(acting_user, question):
        if question.state == Question.State.CLOSED and access.may_open_question(
            acting_user, question
        ):
            raise ActionRefused(_("The question is already closed."))
        raise PermissionDenied
    return _change_state(acting_user, question, Question.State.CLOSED, "question.close")


@transaction.atomic
def question_withdraw(*, acting_user, question):
    """The question disappears from every list; only its asker still opens it."""
    question = _locked(question)
    if not access.can_withdraw_question(acting_user, question):
        raise PermissionDenied
    return _change_state(acting_user, question, Question.State.WITHDRAWN, "question.withdraw")


@dataclass
class Posted:
    """What posting did: the answer, and the mentions that reached no one."""

    answer: Answer
    unmatched_mentions: list = field(default_factory=list)
    already_posted: bool = False


@transaction.atomic
def answer_post(*, acting_user, question, body, parent=None, attribution=None, creation_token=None):
    """Answer the question, or reply to one of its answers (one level only). Refused on a
    closed or withdrawn question, and to anyone outside its home space."""
    question = _locked(question)  # an answer and a close do not cross
    if creation_token is not None:
        existing = Answer.objects.filter(creation_token=creation_token).first()
        if existing is not None:
            if existing.author_id != acting_user.pk or existing.question_id != question.pk:
                raise PermissionDenied
            return Posted(existing, already_posted=True)
    if not access.is_inside_home_space(acting_user, question):
        raise PermissionDenied
    reason = access.answers_closed_reason(question)
    if reason:
        raise ActionRefused(reason)
    body = _clean_answer(body)
    if parent is not None:
        parent = Answer.objects.select_related("parent").get(pk=parent.pk)
        if parent.question_id != question.pk:
            raise PermissionDenied
        if parent.parent_id is not None:
            parent = parent.parent
        if parent.is_hidden:
            raise ActionRefused(_("That answer can no longer be replied to."))
    attribution = attribution or question.network.default_attribution
    if attribution not in Attribution.values:
        raise ActionRefused(_("Choose how you are shown to readers outside the home space."))
    mentioned, unmatched = find_mentions(body, access.home_space_members(question))
    answer = Answer(
        question=question,
        author=acting_user,
        author_country=acting_user.country,
        parent=parent,
        body=body,
        attribution=attribution,
        creation_token=creation_token,
    )
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError:
        return Posted(Answer.objects.get(creation_token=creation_token), already_posted=True)
    mentioned = [user for user in mentioned if user.pk != acting_user.pk]
    answer.mentions.set(mentioned)
    index.reindex_questions([question.pk])
    notices.question_answered(answer, mentioned=mentioned)
    return Posted(answer, unmatched)


def _locked_answer(answer):
    locked = Answer.objects.select_for_update().get(pk=answer.pk)
    locked.question = Question.objects.select_related("network", "working_group").get(
        pk=answer.question_id
    )
    return locked


@transaction.atomic
def answer_edit(*, acting_user, answer, body):
    """The author changes their answer; the earlier text is kept as a revision."""
    answer = _locked_answer(answer)
    if not access.can_edit_answer(acting_user, answer):
        reason = access.answers_closed_reason(answer.question)
        if reason and answer.author_id == acting_user.pk:
            raise ActionRefused(reason)
        raise PermissionDenied
    body = _clean_answer(body)
    if body == answer.body:
        raise ActionRefused(_("Nothing changed."))
    AnswerRevision.objects.create(
        answer=answer, number=answer.revisions.count() + 1, body=answer.body
    )
    answer.body = body
    answer.edited_at = timezone.now()
    answer.save(update_fields=["body", "edited_at"])
    index.reindex_questions([answer.question_id])
    mentioned, unmatched = find_mentions(body, access.home_space_members(answer.question))
    mentioned = [user for user in mentioned if user.pk != acting_user.pk]
    before = set(answer.mentions.values_list("pk", flat=True))
    answer.mentions.set(mentioned)
    new = [user for user in mentioned if user.pk not in before]
    if new:
        notices.question_answered(answer, mentioned=new, only_mentioned=True)
    return Posted(answer, unmatched)


@transaction.atomic
def answer_mark_helpful(*, acting_user, answer, helpful=True):
    """The asker marks (or unmarks) an answer that helped them."""
    answer = _locked_answer(answer)
    if not access.can_mark_helpful(acting_user, answer.question):
        raise PermissionDenied
    if answer.is_hidden:
        raise ActionRefused(_("That answer is hidden by a moderator."))
    answer.is_helpful = bool(helpful)
    answer.save(update_fields=["is_helpful"])
    return answer


@transaction.atomic
def country_mute(*, acting_user, question, muted=True):
    """A focal point asks that the question no longer count their country as waiting (or
    counts it again)."""
    question = _locked(question)
    if not access.can_mute(acting_user, question):
        raise PermissionDenied
    country = acting_user.country
    if muted:
        _mute, created = CountryMute.objects.get_or_create(
            question=question, country=country, defaults={"muted_by": acting_user}
        )
    else:
        created = CountryMute.objects.filter(question=question, country=country).delete()[0] > 0
    if created:
        audit_record(
            actor=acting_user,
            action="question.mute" if muted else "question.unmute",
            network=question.network,
            target=question,
            changes={"country": country.code},
        )
    return muted


def _credit(answer):
    """How an answer's author is credited in a lesson, whoever reads it: by their attribution."""
    return lesson_access.shown_author(None, answer, outside=True).label


def _quoted(text):
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.splitlines())


@transaction.atomic
def question_to_lesson_draft(*, acting_user, question):
    """The asker turns the question and its helpful answers into a lesson draft in the same
    home space: the question as what was intended, the answers quoted as what happened, each
    credited by its author's attribution. The question then links to the lesson and back."""
    question = _locked(question)
    if not access.can_turn_into_lesson(acting_user, question):
        if question.lesson_id is not None and question.author_id == acting_user.pk:
            raise ActionRefused(_("This question is already a lesson draft."))
        raise PermissionDenied
    helpful = list(
        question.answers.filter(is_helpful=True, is_hidden=False)
        .select_related("author", "author_country")
        .order_by("created_at", "pk")
    )
    if not helpful:
        raise ActionRefused(
            _("Mark the answers that helped you first: the lesson is made of them.")
        )
    for answer in helpful:
        answer.question = question
    happened = "\n\n".join(f"{_quoted(answer.body)}\n\n— {_credit(answer)}" for answer in helpful)
    lesson = lesson_services.lesson_create(
        acting_user=acting_user,
        network=question.network,
        working_group=question.working_group,
        data={
            "title": question.title,
            "summary": question.title,
            "intended": question.body,
            "happened": happened,
            "language": question.language,
            "policy_area": question.policy_area,
            "attribution": question.attribution,
        },
        tags=list(question.tags.values_list("name", flat=True)),
    )
    question.lesson = lesson
    question.updated_at = timezone.now()
    question.save(update_fields=["lesson", "updated_at"])
    audit_record(
        actor=acting_user,
        action="question.to_lesson",
        network=question.network,
        target=question,
        changes={"lesson": lesson.pk, "credited": [answer.pk for answer in helpful]},
    )
    return lesson
