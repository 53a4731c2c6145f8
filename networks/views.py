"""Network pages. Thin: parse the input, fetch through `networks.access`, call a service,
redirect with a message (Post/Redirect/Get). Outsiders get 404; members without the role, 403.

Every view that changes membership asks for a recent sign-in (allauth's reauthentication):
its GET shows the page, its POST needs a (re)authentication in the last five minutes.
"""

from datetime import timedelta

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from minilateral.ratelimit import rate_limited
from networks import access, pages, services
from networks.forms import (
    AuditFilterForm,
    CountryAddForm,
    FocalPointForm,
    InviteForm,
    JoinRequestForm,
    NetworkSettingsForm,
    RoleForm,
    WorkingGroupForm,
    WorkingGroupMembersForm,
)
from networks.models import JoinRequest, Membership

WHATS_NEW_DAYS = 14
# The network's home lists its members in pages: a large network has hundreds.
MEMBERS_PER_PAGE = 50
AUDIT_EVENTS_PER_PAGE = 50
INVITE_REPORT_SESSION_KEY = "networks_invite_report"

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


def _describe_changes(changes):
    lines = []
    for key, value in (changes or {}).items():
        if isinstance(value, list) and len(value) == 2 and key not in ("added", "removed"):
            value = f"{value[0]} → {value[1]}"
        elif isinstance(value, list):
            value = ", ".join(str(item) for item in value) or "—"
        lines.append(f"{key}: {value}")
    return lines


@require_safe
def audit(request, slug):
    user = request.user
    network = access.get_audit_network(user, slug)
    events = access.visible_audit_events(user, network)
    present = sorted(set(events.values_list("action", flat=True)))
    form = AuditFilterForm(
        request.GET or None,
        actors=access.audit_actors(events).order_by("full_name"),
        actions=[(action, services.AUDIT_ACTIONS.get(action, action)) for action in present],
    )
    if form.is_bound and form.is_valid():
        if form.cleaned_data["actor"]:
            events = events.filter(actor=form.cleaned_data["actor"])
        if form.cleaned_data["action"]:
            events = events.filter(action=form.cleaned_data["action"])
    page = Paginator(events, AUDIT_EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    for event in page:
        event.label = services.AUDIT_ACTIONS.get(event.action, event.action)
        event.change_lines = _describe_changes(event.changes)
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
            "show_addresses": user.is_superuser,
            "is_member": access.is_member(user, network),
        },
    )


# Managing members


def _manage_context(request, network, section):
    user = request.user
    return {
        "network": network,
        "section": section,
        "can_manage": access.can_manage_members(user, network),
        "can_decide": access.can_decide_join_requests(user, network),
    }


def _after_managing(request, network, page):
    """Where to go after a change: back to the page; or, when the change took away the acting
    user's own right to manage (a convenor who made herself a member) or to see the network
    (who removed her own country), to the network's home or to their networks."""
    if access.can_manage_members(request.user, network):
        return reverse(page, args=[network.slug])
    if access.is_member(request.user, network):
        return network.get_absolute_url()
    return reverse("networks:mine")


@require_safe
def members(request, slug):
    network = access.get_managed_network(request.user, slug)
    memberships = (
        access.managed_memberships(request.user, network)
        .exclude(state=Membership.State.LEFT)
        .order_by("user__full_name")
    )
    return render(
        request,
        "networks/manage/members.html",
        {
            **_manage_context(request, network, "members"),
            "memberships": memberships,
            "roles": Membership.Role.choices,
        },
    )


@require_POST
@reauthentication_required
def member_role(request, slug, membership_id):
    network = access.get_managed_network(request.user, slug)
    membership = access.get_managed_membership(request.user, network, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That role does not exist."))
        return redirect("networks:members", network.slug)
    role = form.cleaned_data["role"]
    return _carry_out(
        request,
        lambda: services.membership_change_role(
            acting_user=request.user, membership=membership, role=role
        ),
        _("The role of %(person)s is now %(role)s.")
        % {"person": membership.user.display_name, "role": Membership.Role(role).label},
        then=lambda: _after_managing(request, network, "networks:members"),
    )


def _one_object_action(*, fetch_network, fetch_object, id_name, service, argument, success, page):
    """A POST-only view applying one service to one object of the network, fetched through
    access (404 outside it), then back to `page` with what happened."""

    @require_POST
    @reauthentication_required
    def view(request, slug, **ids):
        network = fetch_network(request.user, slug)
        target = fetch_object(request.user, network, ids[id_name])
        return _carry_out(
            request,
            lambda: service(acting_user=request.user, **{argument: target}),
            success % {"name": _name_of(target)},
            then=reverse(page, args=[network.slug]),
        )

    return view


def _name_of(target):
    if hasattr(target, "user"):
        return target.user.display_name
    return target.email


def _membership_change(service, success):
    return _one_object_action(
        fetch_network=access.get_managed_network,
        fetch_object=access.get_managed_membership,
        id_name="membership_id",
        service=service,
        argument="membership",
        success=success,
        page="networks:members",
    )


member_suspend = _membership_change(
    services.membership_suspend, gettext_lazy("%(name)s is suspended from the network.")
)
member_reinstate = _membership_change(
    services.membership_reinstate, gettext_lazy("%(name)s is reinstated.")
)


@get_and_post
@reauthentication_required(allow_get=True)
def member_remove(request, slug, membership_id):
    network = access.get_managed_network(request.user, slug)
    membership = access.get_managed_membership(request.user, network, membership_id)
    if request.method == "POST":
        return _carry_out(
            request,
            lambda: services.membership_remove(acting_user=request.user, membership=membership),
            _("%(person)s is no longer a member.") % {"person": membership.user.display_name},
            then=reverse("networks:members", args=[network.slug]),
        )
    return render(
        request,
        "networks/manage/member_remove.html",
        {**_manage_context(request, network, "members"), "membership": membership},
    )


# Invitations


@get_and_post
@reauthentication_required(allow_get=True)
@rate_limited("invite")
def invitations(request, slug):
    network = access.get_managed_network(request.user, slug)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcomes = services.membership_invite_many(
                acting_user=request.user,
                network=network,
                addresses=form.cleaned_data["addresses"],
                role=form.cleaned_data["role"],
            )
        except services.ActionRefused as refusal:
            form.add_error("addresses", refusal.message)
        else:
            request.session[INVITE_REPORT_SESSION_KEY] = {
                "network": network.pk,
                "outcomes": [[outcome.email, outcome.status] for outcome in outcomes],
            }
            invited = sum(outcome.status == services.InviteOutcome.INVITED for outcome in outcomes)
            messages.success(
                request,
                _("Invitations sent: %(invited)d of %(count)d addresses.")
                % {"invited": invited, "count": len(outcomes)},
            )
            return redirect("networks:invitations", network.slug)
    report = (
        request.session.pop(INVITE_REPORT_SESSION_KEY, None) if request.method == "GET" else None
    )
    outcomes = (
        [services.InviteOutcome(email, status) for email, status in report["outcomes"]]
        if report and report.get("network") == network.pk
        else []
    )
    open_invitations = access.network_invitations(request.user, network).filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    )
    return render(
        request,
        "networks/manage/invitations.html",
        {
            **_manage_context(request, network, "invitations"),
            "form": form,
            "outcomes": outcomes,
            "invitations": open_invitations,
            "now": timezone.now(),
        },
    )


def _invitation_change(service, success):
    return _one_object_action(
        fetch_network=access.get_managed_network,
        fetch_object=access.get_network_invitation,
        id_name="invitation_id",
        service=service,
        argument="invitation",
        success=success,
        page="networks:invitations",
    )


invitation_resend = _invitation_change(
    services.invitation_resend, gettext_lazy("The invitation of %(name)s was sent again.")
)
invitation_revoke = _invitation_change(
    services.invitation_revoke, gettext_lazy("The invitation of %(name)s is withdrawn.")
)


# Join requests: convenors, and focal points for their own country's officials


@require_safe
def join_requests(request, slug):
    network = access.get_join_decisions_network(request.user, slug)
    decidable = access.decidable_join_requests(request.user, network)
    return render(
        request,
        "networks/manage/join_requests.html",
        {
            **_manage_context(request, network, "join_requests"),
            "pending": decidable.filter(state=JoinRequest.State.PENDING).order_by("created_at"),
            "decided": decidable.exclude(state=JoinRequest.State.PENDING).order_by("-decided_at")[
                :20
            ],
        },
    )


def _join_request_decision(service, success):
    return _one_object_action(
        fetch_network=access.get_join_decisions_network,
        fetch_object=access.get_decidable_join_request,
        id_name="join_request_id",
        service=service,
        argument="join_request",
        success=success,
        page="networks:join_requests",
    )


join_request_approve = _join_request_decision(
    services.join_request_approve, gettext_lazy("%(name)s is now a member.")
)
join_request_decline = _join_request_decision(
    services.join_request_decline, gettext_lazy("The request of %(name)s is declined.")
)


# Member countries and focal points


def _countries_context(request, network, add_form=None):
    user = request.user
    links = access.managed_country_links(user, network).filter(is_active=True)
    rows = []
    for link in links:
        candidates = access.member_officials(user, network, country=link.country).exclude(
            pk__in=[focal_point.user_id for focal_point in link.focal_points.all()]
        )
        rows.append(
            {
                "link": link,
                "focal_point_form": FocalPointForm(
                    candidates=candidates, country=link.country, prefix=link.country.code
                )
                if candidates.exists()
                else None,
            }
        )
    return {
        **_manage_context(request, network, "countries"),
        "rows": rows,
        "add_form": add_form
        or CountryAddForm(countries=access.addable_countries(request.user, network)),
    }


@get_and_post
@reauthentication_required(allow_get=True)
def countries(request, slug):
    network = access.get_managed_network(request.user, slug)
    form = CountryAddForm(
        request.POST or None, countries=access.addable_countries(request.user, network)
    )
    if request.method == "POST" and form.is_valid():
        country = form.cleaned_data["country"]
        return _carry_out(
            request,
            lambda: services.network_country_add(
                acting_user=request.user, network=network, country=country
            ),
            _("%(country)s is now a member country.") % {"country": country},
            then=reverse("networks:countries", args=[network.slug]),
        )
    return render(
        request, "networks/manage/countries.html", _countries_context(request, network, form)
    )


@get_and_post
@reauthentication_required(allow_get=True)
def country_remove(request, slug, code):
    network = access.get_managed_network(request.user, slug)
    link = access.get_managed_country_link(request.user, network, code)
    if request.method == "POST":
        return _carry_out(
            request,
            lambda: services.network_country_remove(
                acting_user=request.user, network=network, country=link.country
            ),
            _("%(country)s is no longer a member country.") % {"country": link.country},
            then=lambda: _after_managing(request, network, "networks:countries"),
        )
    return render(
        request,
        "networks/manage/country_remove.html",
        {
            **_manage_context(request, network, "countries"),
            "link": link,
            "affected": access.active_memberships()
            .filter(network=network, user__country=link.country)
            .count(),
        },
    )


@require_POST
@reauthentication_required
def focal_point_add(request, slug, code):
    network = access.get_managed_network(request.user, slug)
    link = access.get_managed_country_link(request.user, network, code)
    # Any active member of the network may be offered; the service insists on the country.
    form = FocalPointForm(
        request.POST,
        candidates=access.member_officials(request.user, network),
        country=link.country,
        prefix=link.country.code,
    )
    then = reverse("networks:countries", args=[network.slug])
    if not form.is_valid():
        messages.error(request, _("Choose one of the network’s active members."))
        return redirect(then)
    official = form.cleaned_data["official"]
    return _carry_out(
        request,
        lambda: services.focal_point_add(
            acting_user=request.user, network=network, country=link.country, user=official
        ),
        _("%(person)s is now a focal point for %(country)s.")
        % {"person": official.display_name, "country": link.country},
        then=then,
    )


@require_POST
@reauthentication_required
def focal_point_remove(request, slug, code, user_id):
    network = access.get_managed_network(request.user, slug)
    link = access.get_managed_country_link(request.user, network, code)
    focal_point = access.get_focal_point(request.user, link, user_id)
    return _carry_out(
        request,
        lambda: services.focal_point_remove(
            acting_user=request.user, network=network, country=link.country, user=focal_point.user
        ),
        _("%(person)s is no longer a focal point for %(country)s.")
        % {"person": focal_point.user.display_name, "country": link.country},
        then=reverse("networks:countries", args=[network.slug]),
    )


# Working groups


@get_and_post
@reauthentication_required(allow_get=True)
def groups(request, slug):
    network = access.get_managed_network(request.user, slug)
    form = WorkingGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.working_group_create(
                acting_user=request.user, network=network, **form.cleaned_data
            )
        except services.ActionRefused as refusal:
            form.add_error("name", refusal.message)
        else:
            messages.success(
                request,
                _("The working group “%(group)s” is created: now choose its members.")
                % {"group": group.name},
            )
            return redirect("networks:group_edit", network.slug, group.slug)
    return render(
        request,
        "networks/manage/groups.html",
        {
            **_manage_context(request, network, "groups"),
            "groups": access.managed_working_groups(request.user, network).order_by(
                "is_archived", "name"
            ),
            "form": form,
        },
    )


def _group_candidates(request, network):
    return access.member_officials(request.user, network).order_by("full_name")


def _render_group_edit(request, network, group, *, form=None, members_form=None, status=200):
    return render(
        request,
        "networks/manage/group_edit.html",
        {
            **_manage_context(request, network, "groups"),
            "group": group,
            "form": form
            or WorkingGroupForm(initial={"name": group.name, "purpose": group.purpose}),
            "members_form": members_form
            or WorkingGroupMembersForm(
                candidates=_group_candidates(request, network),
                initial={"members": list(group.members.values_list("pk", flat=True))},
            ),
        },
        status=status,
    )


@get_and_post
@reauthentication_required(allow_get=True)
def group_edit(request, slug, group_slug):
    network = access.get_managed_network(request.user, slug)
    group = access.get_managed_working_group(request.user, network, group_slug)
    form = WorkingGroupForm(
        request.POST or None, initial={"name": group.name, "purpose": group.purpose}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.working_group_update(
                acting_user=request.user, group=group, **form.cleaned_data
            )
        except services.ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The working group is saved."))
            return redirect("networks:group_edit", network.slug, group.slug)
    return _render_group_edit(request, network, group, form=form)


@require_POST
@reauthentication_required
def group_members(request, slug, group_slug):
    network = access.get_managed_network(request.user, slug)
    group = access.get_managed_working_group(request.user, network, group_slug)
    members_form = WorkingGroupMembersForm(
        request.POST, candidates=_group_candidates(request, network)
    )
    if members_form.is_valid():
        try:
            services.working_group_set_members(
                acting_user=request.user, group=group, members=members_form.cleaned_data["members"]
            )
        except services.ActionRefused as refusal:
            members_form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The working group’s members are saved."))
            return redirect("networks:group_edit", network.slug, group.slug)
    return _render_group_edit(request, network, group, members_form=members_form)


@require_POST
@reauthentication_required
def group_archive(request, slug, group_slug):
    network = access.get_managed_network(request.user, slug)
    group = access.get_managed_working_group(request.user, network, group_slug)
    return _carry_out(
        request,
        lambda: services.working_group_archive(acting_user=request.user, group=group),
        _("The working group “%(group)s” is archived.") % {"group": group.name},
        then=reverse("networks:groups", args=[network.slug]),
    )


# The network's purpose and policies


@get_and_post
@reauthentication_required(allow_get=True)
def network_settings(request, slug):
    network = access.get_managed_network(request.user, slug)
    form = NetworkSettingsForm(
        request.POST or None,
        initial={field: getattr(network, field) for field in services.NETWORK_POLICY_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        return _carry_out(
            request,
            lambda: services.network_update(
                acting_user=request.user, network=network, **form.cleaned_data
            ),
            _("The network’s purpose and policies are saved."),
            then=reverse("networks:settings", args=[network.slug]),
        )
    return render(
        request,
        "networks/manage/settings.html",
        {**_manage_context(request, network, "settings"), "form": form},
    )
