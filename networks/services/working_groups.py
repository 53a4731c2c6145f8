"""Working groups: creating, editing and archiving them, and choosing their members."""

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from networks import access
from networks.models import WorkingGroup
from networks.services.audit import ActionRefused, audit_record
from networks.services.common import _locked, _notify, _person, _require


def _clean_group_name(network, name, *, besides=None):
    name = (name or "").strip()
    if not name:
        raise ActionRefused(_("Enter the working group’s name."))
    same_name = WorkingGroup.objects.filter(network=network, name__iexact=name)
    if besides is not None:
        same_name = same_name.exclude(pk=besides.pk)
    if same_name.exists():
        raise ActionRefused(
            _("%(network)s already has a working group called “%(name)s”.")
            % {"network": network.name, "name": name}
        )
    return name


def _unique_group_slug(network, name):
    base = slugify(name)[:90] or "group"
    slug, number = base, 1
    while WorkingGroup.objects.filter(network=network, slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _refuse_if_archived(group):
    if group.is_archived:
        raise ActionRefused(_("“%(group)s” is archived.") % {"group": group.name})


@transaction.atomic
def working_group_create(*, acting_user, network, name, purpose=""):
    _require(access.can_manage_members(acting_user, network))
    name = _clean_group_name(network, name)
    group = WorkingGroup.objects.create(
        network=network,
        name=name,
        slug=_unique_group_slug(network, name),
        purpose=(purpose or "").strip(),
    )
    audit_record(
        actor=acting_user,
        action="working_group.create",
        network=network,
        target=group,
        changes={"name": name, "slug": group.slug},
    )
    return group


@transaction.atomic
def working_group_update(*, acting_user, group, name, purpose):
    """Rename a working group or change its purpose; its address stays the same."""
    network = group.network
    _require(access.can_manage_members(acting_user, network))
    group = _locked(group)
    _refuse_if_archived(group)
    name = _clean_group_name(network, name, besides=group)
    purpose = (purpose or "").strip()
    changes = {
        field: [getattr(group, field), value]
        for field, value in (("name", name), ("purpose", purpose))
        if getattr(group, field) != value
    }
    if not changes:
        raise ActionRefused(_("Nothing changed."))
    group.name, group.purpose = name, purpose
    group.save(update_fields=["name", "purpose"])
    audit_record(
        actor=acting_user,
        action="working_group.update",
        network=network,
        target=group,
        changes=changes,
    )
    return group


@transaction.atomic
def working_group_archive(*, acting_user, group):
    """Archive a working group: it stays readable to its members, and nothing new happens in it."""
    network = group.network
    _require(access.can_manage_members(acting_user, network))
    group = _locked(group)
    _refuse_if_archived(group)
    group.is_archived = True
    group.save(update_fields=["is_archived"])
    audit_record(
        actor=acting_user,
        action="working_group.archive",
        network=network,
        target=group,
        changes={"is_archived": [False, True]},
    )
    _notify(
        [
            membership.user
            for membership in access.active_memberships().filter(
                network=network, user__in=group.members.all()
            )
        ],
        compose=lambda: {
            "subject": _("“%(group)s” is archived") % {"group": group.name},
            "paragraphs": [
                _("The working group “%(group)s” of %(network)s has been archived.")
                % {"group": group.name, "network": network.name}
            ],
            "link_text": _("Open the working group"),
        },
        link=group.get_absolute_url(),
    )
    return group


@transaction.atomic
def working_group_set_members(*, acting_user, group, members):
    """Choose the group's members among the network's active members.

    Officials whose network membership is not active now (suspended, say) keep their place:
    they cannot be chosen, so they are not taken out either."""
    network = group.network
    _require(access.can_manage_members(acting_user, network))
    group = _locked(group)
    _refuse_if_archived(group)
    chosen = {user.pk: user for user in members}
    eligible = access.active_memberships().filter(network=network).select_related("user")
    eligible_users = {membership.user_id: membership.user for membership in eligible}
    not_eligible = [user for pk, user in chosen.items() if pk not in eligible_users]
    if not_eligible:
        raise ActionRefused(
            _("%(person)s is not an active member of %(network)s.")
            % {"person": _person(not_eligible[0]), "network": network.name}
        )
    current = set(group.members.values_list("pk", flat=True))
    added = [chosen[pk] for pk in chosen if pk not in current]
    removed = [eligible_users[pk] for pk in current & set(eligible_users) if pk not in chosen]
    if not added and not removed:
        raise ActionRefused(_("Nothing changed."))
    group.members.add(*added)
    group.members.remove(*removed)
    audit_record(
        actor=acting_user,
        action="working_group.set_members",
        network=network,
        target=group,
        changes={
            "added": sorted(user.email for user in added),
            "removed": sorted(user.email for user in removed),
        },
    )
    _notify(
        added,
        compose=lambda: {
            "subject": _("You are in the working group “%(group)s”") % {"group": group.name},
            "paragraphs": [
                _("You are now a member of the working group “%(group)s” of %(network)s.")
                % {"group": group.name, "network": network.name},
                group.purpose,
            ],
            "link_text": _("Open the working group"),
        },
        link=group.get_absolute_url(),
    )
    _notify(
        removed,
        compose=lambda: {
            "subject": _("You are no longer in the working group “%(group)s”")
            % {"group": group.name},
            "paragraphs": [
                _("You are no longer a member of the working group “%(group)s” of %(network)s.")
                % {"group": group.name, "network": network.name}
            ],
        },
    )
    return group
