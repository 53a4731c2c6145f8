"""Asking the network: the questions of a network or working group, the ask form, a question's
page with its answers, answering, editing, closing, withdrawing, marking what helped, muting
for one's country, and turning a question into a lesson draft.

Thin like lessons/views.py: fetch through questions/access.py (404 for outsiders, as for a
missing question), call a service, redirect (Post/Redirect/Get). A form that cannot be taken
is shown again with what was typed and what to fix."""

import uuid
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.postgres.aggregates import ArrayAgg
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lessons.markdown import render_markdown
from lessons.models import Tag
from minilateral.ratelimit import rate_limited
from networks import access as network_access
from networks.services import ActionRefused
from questions import access, services
from questions.forms import AnswerForm, QuestionForm
from questions.models import Question

PAGE_SIZE = 20


def with_list_context(questions):
    """Questions with what a list shows, in one query whatever their number (none more when the
    list is empty or has no tags): their tags' names come as an array, sorted."""
    tag_names = (
        Tag.objects.filter(questions=OuterRef("pk"))
        .order_by()
        .values("questions")
        .annotate(names=ArrayAgg("name", order_by="name"))
        .values("names")
    )
    return questions.select_related(
        "network", "working_group", "author", "author_country"
    ).annotate(
        answer_count=Count("answers", filter=Q(answers__is_hidden=False)),
        tag_names=Subquery(tag_names),
    )


def as_cards(user, questions):
    return [(question, access.shown_asker(user, question)) for question in questions]


# What a network's home and a working group's page show of their questions (networks/pages.py).


def network_home_questions(request, network):
    questions = access.listed_questions(request.user).filter(network=network)
    latest = with_list_context(questions).order_by("-created_at", "-pk")[:5]
    return {"questions_section": True, "question_cards": as_cards(request.user, latest)}


def working_group_questions(request, network, group):
    questions = access.listed_questions(request.user).filter(working_group=group)
    latest = with_list_context(questions).order_by("-created_at", "-pk")[:5]
    return {"questions_section": True, "question_cards": as_cards(request.user, latest)}


def lesson_source_questions(request, lesson):
    """The lesson page names the question it was made from, for readers who may open it."""
    return {"source_questions": list(access.questions_of_lesson(request.user, lesson))}


@require_safe
def network_questions(request, slug, group_slug=None):
    network = network_access.get_member_network(request.user, slug)
    group = (
        network_access.get_working_group(request.user, network, group_slug) if group_slug else None
    )
    questions = access.listed_questions(request.user).filter(network=network)
    if group is not None:
        questions = questions.filter(working_group=group)
    state = request.GET.get("state")
    if state in (Question.State.OPEN, Question.State.CLOSED):
        questions = questions.filter(state=state)
    page = Paginator(
        with_list_context(questions).order_by("-created_at", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "questions/question_list.html",
        {
            "network": network,
            "group": group,
            "page": page,
            "cards": as_cards(request.user, page.object_list),
            "state": state,
            "query": f"state={state}" if state else "",
            "can_ask": access.can_ask_in(request.user, network, group),
        },
    )


def _initial_space(request, spaces):
    slug = request.GET.get("network", "")
    group = request.GET.get("group", "")
    key = f"{slug}/{group}" if group else slug
    keys = {n.slug for n, _ in spaces} | {f"{n.slug}/{g.slug}" for n, gs in spaces for g in gs}
    return key if key in keys else ""


@require_http_methods(["GET", "POST"])
@rate_limited("lesson_post")
def question_ask(request):
    user = request.user
    spaces = access.askable_spaces(user)
    form = QuestionForm(
        request.POST or None,
        spaces=spaces,
        initial={
            "space": _initial_space(request, spaces),
            "language": user.email_language,
            "audience": "group" if request.GET.get("group") else "network",
            "attribution": spaces[0][0].default_attribution if spaces else "",
            "creation_token": uuid.uuid4(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = services.question_ask(
                acting_user=user,
                network=data["network"],
                working_group=data["working_group"],
                title=data["title"],
                body=data["body"],
                audience=data["audience"],
                attribution=data["attribution"],
                language=data["language"],
                policy_area=data["policy_area"],
                tags=data["tags"],
                deadline=data["deadline"],
                creation_token=data["creation_token"],
            )
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Your question is asked."))
            return redirect(question)
    return render(
        request, "questions/question_form.html", {"form": form, "spaces": spaces, "mode": "ask"}
    )


@dataclass
class ShownAnswer:
    answer: object
    html: str = ""
    can_edit: bool = False
    can_flag: bool = False
    can_moderate: bool = False
    replies: list = field(default_factory=list)


def _threads(user, question):
    """The question's answers, each with its replies, as this reader may see them."""
    open_for_user = access.can_answer(user, question)
    moderator = network_access.can_moderate(user, question.network)
    shown, top = {}, []
    for answer in access.visible_answers(user, question):
        answer.question = question
        html = render_markdown(answer.body) if access.can_see_answer_text(user, answer) else ""
        can_edit = open_for_user and answer.author_id == user.pk and not answer.is_hidden
        shown[answer.pk] = ShownAnswer(
            answer=answer,
            html=html,
            can_edit=can_edit,
            can_flag=access.can_flag_answer(user, answer),
            can_moderate=moderator,
        )
        if answer.parent_id is None:
            top.append(shown[answer.pk])
        elif answer.parent_id in shown:
            shown[answer.parent_id].replies.append(shown[answer.pk])
    return top


def _answer_form(data=None, *, question, **kwargs):
    return AnswerForm(
        data,
        initial={
            "creation_token": uuid.uuid4(),
            "attribution": question.network.default_attribution,
        },
        **kwargs,
    )


@require_safe
def question_detail(request, pk):
    user = request.user
    question = access.get_question(user, pk)
    inside = access.is_inside_home_space(user, question)
    threads = _threads(user, question) if inside else []
    return render(
        request,
        "questions/question_detail.html",
        {
            "question": question,
            "asker": access.shown_asker(user, question),
            "body_html": render_markdown(question.body),
            "inside": inside,
            "threads": threads,
            "answer_count": sum(1 + len(t.replies) for t in threads),
            "countries": access.countries_asked(user, question),
            "can_answer": access.can_answer(user, question),
            "closed_reason": access.answers_closed_reason(question),
            "answer_form": _answer_form(question=question) if inside else None,
            "can_edit": access.can_edit_question(user, question),
            "can_close": access.can_close_question(user, question),
            "can_withdraw": access.can_withdraw_question(user, question),
            "can_mark_helpful": access.can_mark_helpful(user, question),
            "can_turn_into_lesson": access.can_turn_into_lesson(user, question),
            "can_mute": access.can_mute(user, question),
            "own_country_muted": access.can_mute(user, question)
            and question.mutes.filter(country_id=user.country_id).exists(),
            "tags": question.tags.order_by("name"),
            "lesson": question.lesson
            if question.lesson_id and question.author_id == user.pk
            else None,
        },
    )


def _fetch(request, pk, answer_id=None):
    """The question (and one of its answers): 404 for anyone outside its home space."""
    question = access.get_question(request.user, pk)
    if not access.is_inside_home_space(request.user, question):
        raise Http404
    answer = access.get_answer(request.user, question, answer_id) if answer_id else None
    return question, answer


def _answer_page(request, form, *, question, mode, answer=None):
    return render(
        request,
        "questions/answer_form.html",
        {
            "form": form,
            "question": question,
            "mode": mode,
            "answer": answer,
            "closed": access.answers_closed_reason(question),
        },
    )


def _say_posted(request, posted, done):
    messages.success(request, done)
    for label in posted.unmatched_mentions:
        messages.warning(
            request,
            _(
                "No one called %(mention)s is in this question’s space, so no one was told. "
                "Mentions reach its members only."
            )
            % {"mention": label},
        )


@require_http_methods(["GET", "POST"])
@rate_limited("comment_post")
def answer_create(request, pk, answer_id=None):
    """An answer to the question, or (with `answer_id`) a reply to one of its answers."""
    question, parent = _fetch(request, pk, answer_id)
    mode = "reply" if parent else "answer"
    label = _("Your reply") if parent else None
    form = _answer_form(request.POST or None, question=question, label=label)
    if request.method == "POST" and form.is_valid():
        try:
            posted = services.answer_post(
                acting_user=request.user,
                question=question,
                body=form.cleaned_data["body"],
                parent=parent,
                attribution=form.cleaned_data["attribution"],
                creation_token=form.cleaned_data["creation_token"],
            )
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            _say_posted(
                request,
                posted,
                _("Your reply is posted.") if parent else _("Your answer is posted."),
            )
            return redirect(posted.answer)
    return _answer_page(request, form, question=question, mode=mode, answer=parent)


@require_http_methods(["GET", "POST"])
def answer_edit(request, pk, answer_id):
    question, answer = _fetch(request, pk, answer_id)
    if answer.author_id != request.user.pk:
        raise PermissionDenied
    form = AnswerForm(
        request.POST or None, initial={"body": answer.body}, editing=True, label=_("Your answer")
    )
    if request.method == "POST" and form.is_valid():
        try:
            posted = services.answer_edit(
                acting_user=request.user, answer=answer, body=form.cleaned_data["body"]
            )
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            _say_posted(request, posted, _("Your answer is changed."))
            return redirect(posted.answer)
    return _answer_page(request, form, question=question, mode="edit", answer=answer)


@require_safe
def answer_history(request, pk, answer_id):
    question, answer = _fetch(request, pk, answer_id)
    if not access.can_see_answer_text(request.user, answer):
        raise Http404
    versions = [
        {
            "number": None,
            "when": answer.edited_at or answer.created_at,
            "html": render_markdown(answer.body),
        }
    ] + [
        {"number": r.number, "when": r.created_at, "html": render_markdown(r.body)}
        for r in access.visible_answer_revisions(request.user, answer)
    ]
    return render(
        request,
        "questions/answer_history.html",
        {"question": question, "answer": answer, "versions": versions},
    )


@require_http_methods(["GET", "POST"])
def question_edit(request, pk):
    question = access.get_question(request.user, pk)
    if not access.can_edit_question(request.user, question):
        raise PermissionDenied
    form = QuestionForm(
        request.POST or None,
        editing=True,
        initial={
            "title": question.title,
            "body": question.body,
            "deadline": question.deadline,
            "policy_area": question.policy_area,
            "tags": list(question.tags.values_list("name", flat=True)),
            "language": question.language,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.question_edit(
                acting_user=request.user,
                question=question,
                title=data["title"],
                body=data["body"],
                policy_area=data["policy_area"],
                tags=data["tags"],
                deadline=data["deadline"],
                language=data["language"],
            )
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Your question is changed."))
            return redirect(question)
    return render(
        request,
        "questions/question_form.html",
        {"form": form, "question": question, "mode": "edit"},
    )


def _act(request, pk, service, done, **kwargs):
    """Run a service on the question; its refusal becomes a message. Returns (result or None,
    question)."""
    question = access.get_question(request.user, pk)
    try:
        result = service(acting_user=request.user, question=question, **kwargs)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
        return None, question
    messages.success(request, done)
    return result, question


@require_POST
def question_close(request, pk):
    _result, question = _act(request, pk, services.question_close, _("The question is closed."))
    return redirect(question)


@require_POST
def question_withdraw(request, pk):
    result, question = _act(
        request, pk, services.question_withdraw, _("The question is withdrawn.")
    )
    if result is None:
        return redirect(question)
    return redirect("questions:network_list", question.network.slug)


@require_POST
def question_mute(request, pk):
    muted = request.POST.get("muted", "yes") == "yes"
    done = (
        _("Your country is no longer counted as waiting to answer this question.")
        if muted
        else _("Your country is counted again among those asked.")
    )
    _result, question = _act(request, pk, services.country_mute, done, muted=muted)
    return redirect(question)


@require_POST
def question_to_lesson(request, pk):
    lesson, question = _act(
        request,
        pk,
        services.question_to_lesson_draft,
        _("Your lesson draft is ready: read it through, complete it and publish it."),
    )
    if lesson is None:
        return redirect(question)
    return redirect("lessons:edit", lesson.pk)


@require_POST
def answer_helpful(request, pk, answer_id):
    _question, answer = _fetch(request, pk, answer_id)
    helpful = request.POST.get("helpful", "yes") == "yes"
    try:
        services.answer_mark_helpful(acting_user=request.user, answer=answer, helpful=helpful)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Marked as helpful.") if helpful else _("No longer marked as helpful."),
        )
    return redirect(answer)
