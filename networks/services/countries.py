"""A network's member countries and their focal points: adding and removing a country, naming
and removing a focal point."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from networks import access
from networks.models import FocalPoint, NetworkCountry
from networks.services.audit import ActionRefused, audit_record
from networks.services.common import (
    _SECOND_FACTOR_NOTE,
    _notify,
    _notify_network_member,
    _person,
    _require,
)


def _members_of_country(network, country):
    return access.active_memberships().filter(network=network, user__country=country)


@transaction.atomic
def network_country_add(*, acting_user, network, country):
    _require(access.can_manage_members(acting_user, network))
    link = (
        NetworkCountry.objects.select_for_update().filter(network=network, country=country).first()
    )
    if link is not None and link.is_active:
        raise ActionRefused(
            _("%(country)s is already a member of %(network)s.")
            % {"country": country, "network": network.name}
        )
    if link is None:
        link = NetworkCountry.objects.create(network=network, country=country)
    else:
        link.is_active = True
        link.joined_on = timezone.localdate()
        link.save(update_fields=["is_active", "joined_on"])
    audit_record(
        actor=acting_user,
        action="network.country_add",
        network=network,
        target=link,
        changes={"country": country.code},
    )
    # Officials of the country whose memberships were kept get their access back.
    for membership in _members_of_country(network, country).select_related("user"):
        _notify_network_member(
            membership.user,
            network,
            compose=lambda: {
                "subject": _("%(country)s is a member of %(network)s again")
                % {"country": country, "network": network.name},
                "paragraphs": [
                    _("%(country)s has rejoined %(network)s, and with it your membership.")
                    % {"country": country, "network": network.name}
                ],
            },
        )
    return link


@transaction.atomic
def network_country_remove(*, acting_user, network, country):
    """The country leaves the network: its officials lose access from their next request."""
    _require(access.can_manage_members(acting_user, network))
    link = (
        NetworkCountry.objects.select_for_update().filter(network=network, country=country).first()
    )
    if link is None or not link.is_active:
        raise ActionRefused(
            _("%(country)s is not a member of %(network)s.")
            % {"country": country, "network": network.name}
        )
    if not access.network_convenors(network).exclude(user__country=country).exists():
        raise ActionRefused(
            _(
                "That would leave %(network)s without a convenor: "
                "name one from another country first."
            )
            % {"network": network.name}
        )
    affected = [membership.user for membership in _members_of_country(network, country)]
    focal_points = list(link.focal_points.values_list("user__email", flat=True))
    link.focal_points.all().delete()
    link.is_active = False
    link.save(update_fields=["is_active"])
    audit_record(
        actor=acting_user,
        action="network.country_remove",
        network=network,
        target=link,
        changes={
            "country": country.code,
            "members_affected": len(affected),
            "focal_points_removed": focal_points,
        },
    )
    _notify(
        affected,
        compose=lambda: {
            "subject": _("%(country)s is no longer a member of %(network)s")
            % {"country": country, "network": network.name},
            "paragraphs": [
                _(
                    "%(country)s is no longer a member of %(network)s, so your access to the "
                    "network has ended. What you wrote stays."
                )
                % {"country": country, "network": network.name}
            ],
        },
    )
    return link


@transaction.atomic
def focal_point_add(*, acting_user, network, country, user):
    """Name an official as their country's focal point: they then decide its join requests."""
    _require(access.can_manage_members(acting_user, network))
    link = (
        NetworkCountry.objects.select_for_update()
        .filter(network=network, country=country, is_active=True)
        .first()
    )
    if link is None:
        raise ActionRefused(
            _("%(country)s is not a member of %(network)s.")
            % {"country": country, "network": network.name}
        )
    if not _members_of_country(network, country).filter(user=user).exists():
        raise ActionRefused(
            _("A focal point must be an active member of the network from %(country)s.")
            % {"country": country}
        )
    if link.focal_points.filter(user=user).exists():
        raise ActionRefused(
            _("%(person)s is already a focal point for %(country)s.")
            % {"person": _person(user), "country": country}
        )
    focal_point = FocalPoint.objects.create(network_country=link, user=user)
    audit_record(
        actor=acting_user,
        action="focal_point.add",
        network=network,
        target=focal_point,
        changes={"country": country.code, "official": user.email},
    )
    _notify_network_member(
        user,
        network,
        compose=lambda: {
            "subject": _("You are a focal point of %(network)s") % {"network": network.name},
            "paragraphs": [
                _(
                    "You are now %(country)s’s focal point in %(network)s: you decide on the "
                    "requests of officials of %(country)s to join."
                )
                % {"country": country, "network": network.name},
                _SECOND_FACTOR_NOTE,
            ],
        },
    )
    return focal_point


@transaction.atomic
def focal_point_remove(*, acting_user, network, country, user):
    _require(access.can_manage_members(acting_user, network))
    focal_point = (
        FocalPoint.objects.select_for_update()
        .filter(network_country__network=network, network_country__country=country, user=user)
        .first()
    )
    if focal_point is None:
        raise ActionRefused(
            _("%(person)s is not a focal point for %(country)s.")
            % {"person": _person(user), "country": country}
        )
    audit_record(
        actor=acting_user,
        action="focal_point.remove",
        network=network,
        target=focal_point,
        changes={"country": country.code, "official": user.email},
    )
    focal_point.delete()
    _notify_network_member(
        user,
        network,
        compose=lambda: {
            "subject": _("You are no longer a focal point of %(network)s")
            % {"network": network.name},
            "paragraphs": [
                _("You are no longer %(country)s’s focal point in %(network)s.")
                % {"country": country, "network": network.name}
            ],
        },
    )
