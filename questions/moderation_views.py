"""Flags on answers, and their moderation: a member reports an answer from the question page;
the network's moderators decide on the answer's own moderation page, reached from the
workbench's "Flagged answers" section. Thin views over questions/moderation.py."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lessons.markdown import markdown_to_text, render_markdown
from minilateral.ratelimit import rate_limited
from moderation.views import FlagForm
from networks import access as network_access
from networks.services import ActionRefused
from questions import access
from questions import moderation as answer_moderation
from questions.models import AnswerFlag


class AnswerReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (the answer’s author reads it)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@require_http_methods(["GET", "POST"])
@rate_limited("flag")
def answer_flag(request, pk, answer_id):
    """Report an answer: for those who read it (inside the question's home space)."""
    question = access.get_question(request.user, pk)
    if not access.is_inside_home_space(request.user, question):
        raise Http404
    answer = access.get_answer(request.user, question, answer_id)
    if not access.can_flag_answer(request.user, answer):
        raise PermissionDenied
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answer_moderation.answer_flag_raise(
            acting_user=request.user, answer=answer, **form.cleaned_data
        )
        messages.success(request, _("Thank you. The network’s moderators will look at it."))
        return redirect(answer)
    return render(
        request,
        "questions/answer_flag.html",
        {
            "question": question,
            "answer": answer,
            "html": render_markdown(answer.body),
            "form": form,
        },
    )


def _page(request, network, answer, *, status=200, **forms_with_errors):
    context = {
        "network": network,
        "answer": answer,
        "question": answer.question,
        "html": render_markdown(answer.body),
        "flags": AnswerFlag.objects.filter(answer=answer, resolved_at__isnull=True)
        .select_related("reporter")
        .order_by("created_at", "pk"),
        "hide_form": forms_with_errors.get("hide_form") or AnswerReasonForm(prefix="hide"),
        "restore_form": forms_with_errors.get("restore_form") or AnswerReasonForm(prefix="restore"),
    }
    return render(request, "questions/answer_moderate.html", context, status=status)


@require_safe
def answer_moderate(request, slug, answer_id):
    network = network_access.get_moderated_network(request.user, slug)
    answer = access.get_moderated_answer(request.user, network, answer_id)
    return _page(request, network, answer)


ACTIONS = {"hide", "restore", "dismiss"}


@require_POST
def answer_act(request, slug, answer_id, action):
    network = network_access.get_moderated_network(request.user, slug)
    answer = access.get_moderated_answer(request.user, network, answer_id)
    if action not in ACTIONS:
        raise Http404
    user = request.user
    try:
        if action == "dismiss":
            answer_moderation.answer_flags_dismiss(acting_user=user, answer=answer)
            done = _("The flags are dismissed; the answer stays as it is.")
        else:
            form = AnswerReasonForm(request.POST, prefix=action)
            if not form.is_valid():
                return _page(request, network, answer, status=400, **{f"{action}_form": form})
            service = (
                answer_moderation.answer_hide
                if action == "hide"
                else answer_moderation.answer_restore
            )
            service(acting_user=user, answer=answer, reason=form.cleaned_data["reason"])
            done = (
                _("The answer is hidden; its flags are resolved.")
                if action == "hide"
                else _("The answer shows again; its flags are resolved.")
            )
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done)
    return redirect("questions:answer_moderate", network.slug, answer.pk)


def workbench_flagged_answers(request, network):
    """The moderation queue's section: answers with open flags or hidden by them, each with an
    excerpt of its words (which the network's moderators may read)."""
    answers = list(answer_moderation.flagged_answers(request.user, network))
    for answer in answers:
        answer.excerpt = Truncator(markdown_to_text(answer.body)).chars(200)
    return {"flagged_answers_section": True, "flagged_answers": answers}
