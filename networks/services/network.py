"""The network itself: its purpose and policies (`network_update`), and deleting the records
kept for a limited time (`purge_expired_records`)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from networks import access
from networks.models import FLAG_THRESHOLD_RANGE, Attribution
from networks.services.audit import ActionRefused, audit_record
from networks.services.common import _locked, _require

NETWORK_POLICY_FIELDS = (
    "purpose",
    "is_listed",
    "requires_review",
    "default_attribution",
    "flag_threshold",
)


@transaction.atomic
def network_update(
    *,
    acting_user,
    network,
    purpose,
    is_listed,
    requires_review,
    default_attribution,
    flag_threshold=None,
):
    """Change the network's purpose and its policies (the flag threshold kept when None)."""
    _require(access.can_manage_members(acting_user, network))
    if default_attribution not in Attribution.values:
        raise ActionRefused(_("That attribution does not exist."))
    low, high = FLAG_THRESHOLD_RANGE
    if flag_threshold is not None and not low <= flag_threshold <= high:
        raise ActionRefused(
            _("The flags that hide an item are from %(low)s to %(high)s.")
            % {"low": low, "high": high}
        )
    purpose = (purpose or "").strip()
    if not purpose:
        raise ActionRefused(_("Enter the network’s purpose."))
    locked = _locked(network)
    wanted = {
        "purpose": purpose,
        "is_listed": bool(is_listed),
        "requires_review": bool(requires_review),
        "default_attribution": default_attribution,
        "flag_threshold": locked.flag_threshold if flag_threshold is None else flag_threshold,
    }
    changes = {
        field: [getattr(locked, field), value]
        for field, value in wanted.items()
        if getattr(locked, field) != value
    }
    if not changes:
        raise ActionRefused(_("Nothing changed."))
    for field, value in wanted.items():
        setattr(locked, field, value)
        setattr(network, field, value)
    locked.save(update_fields=list(changes))
    audit_record(
        actor=acting_user,
        action="network.update",
        network=network,
        target=locked,
        changes=changes,
    )
    return locked


# Records kept for a limited time (the retention page says so): refused accesses, which name
# an official, a page and an address, for REFUSALS_KEPT_DAYS; used form tokens for a day
# (networks.submissions.KEPT), each official's also removed as they send the next form.
REFUSALS_KEPT_DAYS = settings.REFUSED_ACCESS_KEPT_DAYS


@transaction.atomic
def purge_expired_records(*, now=None):
    """Delete refused accesses and used form tokens past their time. Run every day (the daily
    digests' run calls it: notifications.digests.send_digests). Returns {model: deleted}."""
    from networks.models import AccessDenial, FormSubmission
    from networks.submissions import KEPT

    now = now or timezone.now()
    refusals, _ = AccessDenial.objects.filter(
        created_at__lt=now - timedelta(days=REFUSALS_KEPT_DAYS)
    ).delete()
    submissions, _ = FormSubmission.objects.filter(created_at__lt=now - KEPT).delete()
    return {"refused accesses": refusals, "form submissions": submissions}
