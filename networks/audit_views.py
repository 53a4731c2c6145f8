"""A network's audit log, for its convenors (and platform admins): the events in words, filtered
by type, person and days, in pages or as a CSV file. Both go through `networks.access`: an
outsider gets 404, a member without the role 403, for the page and the file alike."""

import csv
import io
from datetime import datetime, time, timedelta

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from minilateral.spreadsheets import safe_cell
from networks import access
from networks.audit_types import label, sentence
from networks.forms import AuditFilterForm

AUDIT_EVENTS_PER_PAGE = 50


def _describe_changes(changes):
    lines = []
    for key, value in (changes or {}).items():
        if isinstance(value, list) and len(value) == 2 and key not in ("added", "removed"):
            value = f"{value[0]} → {value[1]}"
        elif isinstance(value, list):
            value = ", ".join(str(item) for item in value) or "—"
        lines.append(f"{key}: {value}")
    return lines


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _filtered(request, slug):
    """The network, the filter form and the events it lets through, newest first."""
    user = request.user
    network = access.get_audit_network(user, slug)
    events = access.visible_audit_events(user, network)
    present = set(events.values_list("action", flat=True))
    form = AuditFilterForm(
        request.GET or None,
        actors=access.audit_actors(events).order_by("full_name"),
        actions=sorted(((code, label(code)) for code in present), key=lambda choice: choice[1]),
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            events = events.filter(actor=data["actor"])
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["since"]:
            events = events.filter(created_at__gte=_start_of(data["since"]))
        if data["until"]:
            events = events.filter(created_at__lt=_start_of(data["until"] + timedelta(days=1)))
    elif form.is_bound:
        events = events.none()
    return network, form, events


def _in_words(event):
    event.label = label(event.action)
    event.sentence = capfirst(sentence(event))
    event.change_lines = _describe_changes(event.changes)
    return event


@require_safe
def audit(request, slug):
    network, form, events = _filtered(request, slug)
    page = Paginator(events, AUDIT_EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    for event in page:
        _in_words(event)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "networks/audit.html",
        {
            "network": network,
            "form": form,
            "page": page,
            "filter_query": query.urlencode(),
            "show_addresses": request.user.is_superuser,
            "is_member": access.is_member(request.user, network),
        },
    )


@require_safe
def audit_csv(request, slug):
    """The events the same filters show, every one of them, as CSV."""
    network, _form, events = _filtered(request, slug)
    show_addresses = request.user.is_superuser
    out = io.StringIO()
    writer = csv.writer(out)
    header = [
        pgettext("audit log column", "When"),
        _("Who"),
        _("Type of event"),
        _("What happened"),
        pgettext("audit log column", "About"),
    ]
    writer.writerow([*header, _("Details"), *([_("From address")] if show_addresses else [])])
    for event in events.iterator(chunk_size=500):
        _in_words(event)
        row = [
            timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M"),
            event.actor.display_name if event.actor_id else _("the system"),
            event.label,
            event.sentence,
            event.target_label,
            "; ".join(event.change_lines),
            *([event.ip_address or ""] if show_addresses else []),
        ]
        writer.writerow([safe_cell(cell) for cell in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"{network.slug}-audit-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
