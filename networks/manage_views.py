"""The convenor's pages for managing a network: members and their roles, invitations, join
requests (focal points decide those of their own country's officials), member countries and
focal points, working groups, and the network's purpose and policies. The pages members see are
in networks/views.py. Thin, like those: fetch through `networks.access`, call a service,
redirect with a message (Post/Redirect/Get). Outsiders get 404; members without the role, 403.
Every view that changes something asks for a recent sign-in (allauth's reauthentication) on
its POST; its GET shows the page.

A little over 500 lines because every section leans on the same helpers (`_manage_context`,
`_after_managing`, `_one_object_action`); if it grows, split it by section and give those
helpers a module of their own.
"""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from minilateral.ratelimit import rate_limited
from networks import access, services
from networks.forms import (
    CountryAddForm,
    FocalPointForm,
    InviteForm,
    NetworkSettingsForm,
    RoleForm,
    WorkingGroupForm,
    WorkingGroupMembersForm,
)
from networks.models import JoinRequest, Membership
from networks.views import _carry_out, get_and_post

INVITE_REPORT_SESSION_KEY = "networks_invite_report"


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


# Members


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
