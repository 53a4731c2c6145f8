"""The network pages members see: their networks, the directory, asking to join, a network's
home, a working group, and leaving. The audit log is in networks/audit_views.py; the convenor's
pages for managing a network are in networks/manage_views.py, which uses `_carry_out` and
`get_and_post` from here.

Thin: parse the input, fetch through `networks.access`, call a service, redirect with a message
(Post/Redirect/Get). Outsiders get 404; members without the role, 403.

Every view that changes membership asks for a recent sign-in (allauth's reauthentication):
its GET shows the page, its POST needs a (re)authentication in the last five minutes.
"""

from datetime import timedelta

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from networks import access, pages, services
from networks.forms import JoinRequestForm
from networks.models import JoinRequest

WHATS_NEW_DAYS = 14
# The network's home lists its members in pages: a large network has hundreds.
MEMBERS_PER_PAGE = 50

get_and_post = require_http_methods(["GET", "POST"])


def _carry_out(request, action, success, *, then):
    """Run a service; say what happened (or why nothing did) and redirect to `then`
    (a URL, or a function giving one once the service has run)."""
    try:
        action()
    except services.ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, success)
    return redirect(then() if callable(then) else then)


# Pages for every official


@require_safe
def mine(request):
    user = request.user
    since = timezone.now() - timedelta(days=WHATS_NEW_DAYS)
    # A fixed number of queries, however many networks the official belongs to.
    news = access.news_of_member_networks(user, since)
    pending = access.pending_join_request_counts(user)
    groups = {}
    for group in access.visible_working_groups(user).filter(members=user).select_related("network"):
        groups.setdefault(group.network_id, []).append(group)
    entries = [
        {
            "network": network,
            "membership": access.membership_in(user, network),
            "groups": groups.get(network.pk, []),
            **news[network.pk],
            "pending_decisions": pending.get(network.pk, 0),
        }
        for network in access.member_networks(user)
    ]
    waiting = access.own_join_requests(user).filter(state=JoinRequest.State.PENDING)
    return render(
        request,
        "networks/mine.html",
        {"entries": entries, "waiting": waiting, "days": WHATS_NEW_DAYS},
    )


@require_safe
def directory(request):
    user = request.user
    listed = access.directory_listing(user)
    entries = [
        {
            "network": network,
            "is_member": access.is_member(user, network),
            "can_ask": access.can_request_to_join(user, network),
            "waiting": access.has_pending_join_request(user, network),
        }
        for network in listed
    ]
    return render(request, "networks/directory.html", {"entries": entries})


@get_and_post
def join(request, slug):
    user = request.user
    network = access.get_directory_network(user, slug)
    if access.is_member(user, network):
        messages.info(request, _("You are already a member of %(network)s.") % {"network": network})
        return redirect(network)
    context = {"network": network, "countries": access.directory_countries(network)}
    if access.has_pending_join_request(user, network) and request.method == "GET":
        return render(request, "networks/join.html", {**context, "waiting": True})
    if not access.may_ask_to_join(user, network):
        return render(request, "networks/join.html", {**context, "unavailable": True}, status=403)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _carry_out(
            request,
            lambda: services.join_request_create(
                acting_user=user, network=network, message=form.cleaned_data["message"]
            ),
            _("Your request to join %(network)s was sent. You will hear by email.")
            % {"network": network},
            then="networks:directory",
        )
    return render(request, "networks/join.html", {**context, "form": form})


@require_safe
def home(request, slug):
    user = request.user
    network = access.get_member_network(user, slug)
    groups = [
        {"group": group, "can_enter": access.can_enter_working_group(user, group)}
        for group in access.listed_working_groups(user, network)
    ]
    return render(
        request,
        "networks/home.html",
        {
            "network": network,
            "can_moderate": access.can_moderate(user, network),
            "membership": access.membership_in(user, network),
            "countries": access.member_countries(user, network),
            "members": Paginator(
                access.network_members(user, network).order_by("user__full_name", "pk"),
                MEMBERS_PER_PAGE,
            ).get_page(request.GET.get("members")),
            "groups": groups,
            "can_manage": access.can_manage_members(user, network),
            "can_decide": access.can_decide_join_requests(user, network),
            "can_view_audit": access.can_view_audit_log(user, network),
            **pages.network_home.context(request, network),
        },
    )


@require_safe
def working_group(request, slug, group_slug):
    user = request.user
    network = access.get_member_network(user, slug)
    group = access.get_working_group(user, network, group_slug)
    return render(
        request,
        "networks/working_group.html",
        {
            "network": network,
            "group": group,
            "members": access.working_group_members(user, group).order_by("user__full_name"),
            "can_manage": access.can_manage_members(user, network),
            **pages.working_group_page.context(request, network, group),
        },
    )


@get_and_post
@reauthentication_required(allow_get=True)
def leave(request, slug):
    user = request.user
    if request.method == "GET":
        network = access.get_member_network(user, slug)
        return render(request, "networks/leave.html", {"network": network})
    # A second submission finds the official already gone: a message, not a 404, when the
    # network is one they can still see in the directory.
    network = access.get_directory_network(user, slug)
    return _carry_out(
        request,
        lambda: services.membership_leave(acting_user=user, network=network),
        _("You have left %(network)s.") % {"network": network},
        then="networks:mine",
    )
