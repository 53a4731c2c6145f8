"""The workbench's action on several items: the queue's checkboxes lead (GET) to a page that
lists what will be done and asks for a confirmation (POST, with a one-time token, so a double
submit acts once); the items are judged again when it comes (moderation/bulk.py)."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from moderation import bulk
from networks import access as network_access


class BulkReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (each author is told)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, required, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        if not required:
            self.fields["reason"].label = gettext_lazy("Reason (optional, kept in the audit log)")


def _ids(data, name):
    return [int(value) for value in data.getlist(name) if value.isdigit()][: bulk.MOST_ITEMS]


@require_http_methods(["GET", "POST"])
def confirm(request, slug):
    network = network_access.get_moderated_network(request.user, slug)
    data = request.POST if request.method == "POST" else request.GET
    action = data.get("action", "")
    if action not in bulk.ACTIONS:
        raise Http404
    lesson_ids, comment_ids = _ids(data, "lesson"), _ids(data, "comment")
    form = BulkReasonForm(
        request.POST if request.method == "POST" else None, required=action == "hide"
    )
    if request.method == "POST" and form.is_valid():
        outcome = bulk.bulk_act(
            acting_user=request.user,
            network=network,
            action=action,
            lesson_ids=lesson_ids,
            comment_ids=comment_ids,
            reason=form.cleaned_data["reason"],
        )
        _tell(request, outcome)
        return redirect("moderation:queue", network.slug)
    lessons, comments = bulk.chosen_items(
        request.user, network, lesson_ids=lesson_ids, comment_ids=comment_ids
    )
    chosen = [*lessons, *comments]
    return render(
        request,
        "moderation/bulk_confirm.html",
        {
            "network": network,
            "action": action,
            "action_label": bulk.ACTIONS[action],
            "form": form,
            "to_do": [item for item in chosen if bulk.applies(action, item)],
            "left": [item for item in chosen if not bulk.applies(action, item)],
        },
        status=400 if form.is_bound else 200,
    )


def _tell(request, outcome):
    if outcome.done:
        messages.success(
            request,
            ngettext("%(count)s item is done.", "%(count)s items are done.", len(outcome.done))
            % {"count": len(outcome.done)},
        )
    if outcome.left:
        messages.info(
            request,
            ngettext(
                "%(count)s item was left as it is: it changed meanwhile or the action does "
                "not apply to it.",
                "%(count)s items were left as they are: they changed meanwhile or the action "
                "does not apply to them.",
                len(outcome.left),
            )
            % {"count": len(outcome.left)},
        )
    if not outcome.done and not outcome.left:
        messages.info(request, _("No item was chosen."))
