"""Network pages: my networks, the directory, a network's home, managing it, its audit log."""

from django.urls import path

from networks import audit_views, manage_views, views

app_name = "networks"

network = "networks/<slug:slug>/"
manage = network + "manage/"

urlpatterns = [
    path("networks/", views.mine, name="mine"),
    path("networks/directory/", views.directory, name="directory"),
    path(network, views.home, name="home"),
    path(network + "join/", views.join, name="join"),
    path(network + "leave/", views.leave, name="leave"),
    path(network + "groups/<slug:group_slug>/", views.working_group, name="working_group"),
    path(network + "audit/", audit_views.audit, name="audit"),
    path(network + "audit.csv", audit_views.audit_csv, name="audit_csv"),
    # Managing the network: convenors (and focal points, for their country's join requests)
    path(manage + "members/", manage_views.members, name="members"),
    path(
        manage + "members/<int:membership_id>/role/", manage_views.member_role, name="member_role"
    ),
    path(
        manage + "members/<int:membership_id>/suspend/",
        manage_views.member_suspend,
        name="member_suspend",
    ),
    path(
        manage + "members/<int:membership_id>/reinstate/",
        manage_views.member_reinstate,
        name="member_reinstate",
    ),
    path(
        manage + "members/<int:membership_id>/remove/",
        manage_views.member_remove,
        name="member_remove",
    ),
    path(manage + "invitations/", manage_views.invitations, name="invitations"),
    path(
        manage + "invitations/<int:invitation_id>/resend/",
        manage_views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        manage + "invitations/<int:invitation_id>/revoke/",
        manage_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(manage + "join-requests/", manage_views.join_requests, name="join_requests"),
    path(
        manage + "join-requests/<int:join_request_id>/approve/",
        manage_views.join_request_approve,
        name="join_request_approve",
    ),
    path(
        manage + "join-requests/<int:join_request_id>/decline/",
        manage_views.join_request_decline,
        name="join_request_decline",
    ),
    path(manage + "countries/", manage_views.countries, name="countries"),
    path(
        manage + "countries/<slug:code>/remove/", manage_views.country_remove, name="country_remove"
    ),
    path(
        manage + "countries/<slug:code>/focal-points/",
        manage_views.focal_point_add,
        name="focal_point_add",
    ),
    path(
        manage + "countries/<slug:code>/focal-points/<int:user_id>/remove/",
        manage_views.focal_point_remove,
        name="focal_point_remove",
    ),
    path(manage + "groups/", manage_views.groups, name="groups"),
    path(manage + "groups/<slug:group_slug>/", manage_views.group_edit, name="group_edit"),
    path(
        manage + "groups/<slug:group_slug>/members/",
        manage_views.group_members,
        name="group_members",
    ),
    path(
        manage + "groups/<slug:group_slug>/archive/",
        manage_views.group_archive,
        name="group_archive",
    ),
    path(manage + "settings/", manage_views.network_settings, name="settings"),
]
