"""Moderating answers, as comments are moderated (moderation/services.py): members flag an
answer; past the network's flag threshold of distinct members it is hidden until a moderator
looks; moderators hide it with a reason, show it again, or dismiss its flags. Each act is one
transaction with one audit event, and its author is told what was decided and why (a notice,
by their preferences); they still read a hidden answer on the question page, with the reason.
Other members see a placeholder, and search forgets its words.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from networks import access as network_access
from networks.services import ActionRefused, audit_record
from questions import access, index, notices
from questions.models import Answer, AnswerFlag, FlagReason, Question


def _require_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Give a reason: the answer’s author reads it."))
    return reason[:500]


def _locked(answer):
    locked = Answer.objects.select_for_update().select_related("author").get(pk=answer.pk)
    locked.question = Question.objects.select_related("network", "working_group").get(
        pk=locked.question_id
    )
    return locked


def _open_flags(answer):
    return answer.flags.filter(resolved_at__isnull=True)


@transaction.atomic
def answer_flag_raise(*, acting_user, answer, reason, note=""):
    """A member reports an answer; a person's repeated flags count once."""
    answer = _locked(answer)
    if not access.can_flag_answer(acting_user, answer):
        raise PermissionDenied
    if reason not in FlagReason.values:
        raise ActionRefused(_("Choose a reason."))
    network = answer.question.network
    flag = _open_flags(answer).filter(reporter=acting_user).first()
    if flag is not None:
        return flag
    flag = AnswerFlag.objects.create(
        answer=answer, reporter=acting_user, reason=reason, note=(note or "").strip()[:1000]
    )
    # Of the question: the reporter's own record does not name the answer's author.
    audit_record(
        actor=acting_user,
        action="answer.flag",
        network=network,
        target=answer.question,
        changes={"answer": answer.pk, "reason": reason},
    )
    reporters = _open_flags(answer).values("reporter").distinct().count()
    if reporters >= network.flag_threshold:
        # No words stored: the placeholder says why in each reader's language.
        answer.is_hidden = True
        answer.hidden_by = None
        answer.hidden_reason = ""
        answer.save(update_fields=["is_hidden", "hidden_by", "hidden_reason"])
        index.reindex_questions([answer.question_id])
        audit_record(
            actor=None,
            action="answer.hide_by_flags",
            network=network,
            target=answer,
            changes={"flags": reporters},
        )
        notices.answer_decided(answer, decision="answer.hide_by_flags")
    return flag


def _resolve_flags(answer, acting_user):
    return _open_flags(answer).update(resolved_at=timezone.now(), resolved_by=acting_user)


def _decide(answer, *, acting_user, hidden, reason):
    answer.is_hidden = hidden
    answer.hidden_by = acting_user if hidden else None
    answer.hidden_reason = reason if hidden else ""
    answer.save(update_fields=["is_hidden", "hidden_by", "hidden_reason"])
    index.reindex_questions([answer.question_id])
    resolved = _resolve_flags(answer, acting_user)
    decision = "answer.hide" if hidden else "answer.restore"
    audit_record(
        actor=acting_user,
        action=decision,
        network=answer.question.network,
        target=answer,
        changes={"reason": reason, "flags_resolved": resolved},
    )
    notices.answer_decided(answer, decision=decision, moderator=acting_user, reason=reason)
    return answer


def _moderated(acting_user, answer):
    answer = _locked(answer)
    if not network_access.can_moderate(acting_user, answer.question.network):
        raise PermissionDenied
    return answer


@transaction.atomic
def answer_hide(*, acting_user, answer, reason):
    """A moderator hides an answer (or confirms what flags hid), saying why: its author reads
    the reason; its open flags are resolved."""
    answer = _moderated(acting_user, answer)
    reason = _require_reason(reason)
    if answer.is_hidden and answer.hidden_by_id is not None:
        raise ActionRefused(_("This answer is already hidden."))
    return _decide(answer, acting_user=acting_user, hidden=True, reason=reason)


@transaction.atomic
def answer_restore(*, acting_user, answer, reason):
    """A hidden answer shows again; its open flags are resolved."""
    answer = _moderated(acting_user, answer)
    reason = _require_reason(reason)
    if not answer.is_hidden:
        raise ActionRefused(_("This answer is not hidden."))
    return _decide(answer, acting_user=acting_user, hidden=False, reason=reason)


@transaction.atomic
def answer_flags_dismiss(*, acting_user, answer):
    """The flags on an answer that stays shown are unfounded: they are resolved."""
    answer = _moderated(acting_user, answer)
    if answer.is_hidden:
        raise ActionRefused(_("This answer is hidden: show it again, or keep it hidden."))
    resolved = _resolve_flags(answer, acting_user)
    if not resolved:
        raise ActionRefused(_("No flag on this answer is open."))
    audit_record(
        actor=acting_user,
        action="answer.flags_dismiss",
        network=answer.question.network,
        target=answer,
        changes={"flags_resolved": resolved},
    )
    return resolved


def flagged_answers(user, network):
    """The network's answers with open flags, or hidden by flags and waiting for a moderator,
    for its moderators (the workbench's section)."""
    open_flag = AnswerFlag.objects.filter(answer=OuterRef("pk"), resolved_at__isnull=True)
    return (
        access.moderated_answers(user, network)
        .filter(Q(Exists(open_flag)) | Q(is_hidden=True, hidden_by__isnull=True))
        .select_related("author", "author_country", "question")
        .prefetch_related(
            Prefetch(
                "flags",
                queryset=AnswerFlag.objects.filter(resolved_at__isnull=True).select_related(
                    "reporter"
                ),
                to_attr="open_flags",
            )
        )
        .order_by("-is_hidden", "created_at", "pk")
    )
