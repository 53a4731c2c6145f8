"""The signed-in official, read once per request with what every request asks of them.

Every signed-in request needs the official's active memberships (the access policy, the MFA
requirement), whether they are a focal point (the MFA requirement) and their working groups
(the access policy). Read one by one that is three queries on top of the user's own, on every
page. These backends read the user (with their country) and the three in one query, as JSON
and ids beside the row, and leave them in the per-request memory networks.access keeps
(`memberships_by_network`, `working_group_ids`, `is_any_focal_point`): the same rows by the
same rules, read at the same moment, so no check sees less than it did.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef

from minilateral.rows import instances, rows_beside
from networks.access import active_memberships, remember_spaces
from networks.models import FocalPoint, Membership, User, WorkingGroup


def _user_with_spaces():
    groups = WorkingGroup.objects.filter(
        members=OuterRef("pk"),
        network_id__in=active_memberships()
        .filter(user_id=OuterRef(OuterRef("pk")))
        .values("network_id"),
    ).values("pk")
    return User._default_manager.select_related("country").annotate(
        _spaces_memberships=rows_beside(
            active_memberships().filter(user_id=OuterRef("pk")).order_by("network__name")
        ),
        _spaces_groups=ArraySubquery(groups),
        _spaces_focal_point=Exists(FocalPoint.objects.filter(user_id=OuterRef("pk"))),
    )


class SpacesMixin:
    def get_user(self, user_id):
        user = _user_with_spaces().filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        memberships = instances(Membership, user._spaces_memberships)
        remember_spaces(
            user,
            memberships={m.network_id: m for m in memberships},
            working_groups=list(user._spaces_groups),
            focal_point=user._spaces_focal_point,
        )
        return user


class SpacesModelBackend(SpacesMixin, ModelBackend):
    """Django's backend (passwords, the admin), reading the user as above."""


class SpacesAuthenticationBackend(SpacesMixin, AuthenticationBackend):
    """allauth's backend (sign-in by email), reading the user as above."""
