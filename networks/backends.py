"""The signed-in official, read once per request with what every request asks of them.

Every signed-in request needs the official's active memberships (the access policy, the MFA
requirement), whether they are a focal point (the MFA requirement) and their working groups
(the access policy). Read one by one that is three queries on top of the user's own, on every
page. These backends read the user (with their country) and the three in one query, as JSON
and ids beside the row, and leave them in the per-request memory networks.access keeps
(`memberships_by_network`, `working_group_ids`, `is_any_focal_point`): the same rows by the
same rules, read at the same moment, so no check sees less than it did.

The ORM builds that query's SQL once per process: building it (subqueries of subqueries) costs
many times what running it does, and it differs between requests only by the user's id.
"""

import functools
import json

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef

from minilateral.rows import instances, rows_beside
from networks.access import active_memberships, remember_spaces
from networks.models import Country, FocalPoint, Membership, User, WorkingGroup

# A user id no row has, standing in the compiled query for the id of each request's user.
_ANY_USER = -7_391_004_219


def _user_with_spaces():
    groups = WorkingGroup.objects.filter(
        members=OuterRef("pk"),
        network_id__in=active_memberships()
        .filter(user_id=OuterRef(OuterRef("pk")))
        .values("network_id"),
    ).values("pk")
    return User._default_manager.annotate(
        _spaces_country=rows_beside(Country.objects.filter(pk=OuterRef("country_id"))),
        _spaces_memberships=rows_beside(
            active_memberships().filter(user_id=OuterRef("pk")).order_by("network__name")
        ),
        _spaces_groups=ArraySubquery(groups),
        _spaces_focal_point=Exists(FocalPoint.objects.filter(user_id=OuterRef("pk"))),
    )


@functools.cache
def _compiled():
    sql, params = _user_with_spaces().filter(pk=_ANY_USER).query.sql_with_params()
    if params.count(_ANY_USER) != 1:  # the id must have one place, and only one
        raise ValueError("the signed-in official's query takes their id more than once")
    return sql, params


def _rows(value):
    """JSON rows as the database driver hands them (text, or already decoded)."""
    return [json.loads(row) if isinstance(row, str) else row for row in value or ()]


def read_user(user_id):
    """The user with their country and spaces, or None."""
    sql, params = _compiled()
    params = tuple(user_id if value == _ANY_USER else value for value in params)
    return next(iter(User._default_manager.raw(sql, params)), None)


class SpacesMixin:
    def get_user(self, user_id):
        user = read_user(user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        country = instances(Country, _rows(user._spaces_country))
        user.country = country[0] if country else None
        memberships = instances(Membership, _rows(user._spaces_memberships))
        remember_spaces(
            user,
            memberships={m.network_id: m for m in memberships},
            working_groups=list(user._spaces_groups or ()),
            focal_point=user._spaces_focal_point,
        )
        return user


class SpacesModelBackend(SpacesMixin, ModelBackend):
    """Django's backend (passwords, the admin), reading the user as above."""


class SpacesAuthenticationBackend(SpacesMixin, AuthenticationBackend):
    """allauth's backend (sign-in by email), reading the user as above."""
