"""What questions do when a lower layer announces something (connected in apps.py)."""

from networks.account_services import exported_network, exported_time
from questions.models import Answer, AnswerFlag, CountryMute, Question


def _question(question):
    return {
        "id": question.pk,
        "network": exported_network(question.network),
        "working_group": question.working_group.name if question.working_group_id else None,
        "title": question.title,
        "text": question.body,
        "language": question.language,
        "audience": question.audience,
        "attribution": question.attribution,
        "state": question.state,
        "deadline": question.deadline.isoformat() if question.deadline else None,
        "tags": [tag.name for tag in question.tags.all()],
        "asked_at": exported_time(question.created_at),
        "lesson_made_from_it": question.lesson_id,
    }


def _answer(answer):
    return {
        "id": answer.pk,
        "question": {"id": answer.question_id, "title": answer.question.title},
        "reply_to": answer.parent_id,
        "text": answer.body,
        "attribution": answer.attribution,
        "helped_the_asker": answer.is_helpful,
        "posted_at": exported_time(answer.created_at),
        "edited_at": exported_time(answer.edited_at),
        "hidden_by_a_moderator": answer.is_hidden,
        "earlier_texts": [
            {"text": r.body, "until": exported_time(r.created_at)} for r in answer.revisions.all()
        ],
    }


def personal_data(sender, *, user, **kwargs):
    """The official's questions and answers, the flags they raised on answers (never who
    flagged theirs) and the questions they muted for their country, for their data export."""
    questions = (
        Question.objects.filter(author=user)
        .select_related("network", "working_group")
        .prefetch_related("tags")
        .order_by("created_at", "pk")
    )
    answers = (
        Answer.objects.filter(author=user)
        .select_related("question")
        .prefetch_related("revisions")
        .order_by("created_at", "pk")
    )
    flags = AnswerFlag.objects.filter(reporter=user).select_related("answer__question")
    mutes = CountryMute.objects.filter(muted_by=user).select_related("question", "country")
    return {
        "questions": [_question(question) for question in questions],
        "answers": [_answer(answer) for answer in answers],
        "flags_raised_on_answers": [
            {
                "question": {"id": f.answer.question_id, "title": f.answer.question.title},
                "answer": f.answer_id,
                "reason": f.reason,
                "note": f.note,
                "created_at": exported_time(f.created_at),
                "resolved_at": exported_time(f.resolved_at),
            }
            for f in flags.order_by("pk")
        ],
        "questions_muted_for_your_country": [
            {
                "question": {"id": m.question_id, "title": m.question.title},
                "country": m.country.name,
                "muted_at": exported_time(m.created_at),
            }
            for m in mutes.order_by("pk")
        ],
    }
