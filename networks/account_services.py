"""Writes about an official's own account. Same habits as networks/services.py."""

from allauth.usersessions.models import UserSession
from django.db import transaction
from django.utils import timezone

from networks.services import audit_record


@transaction.atomic
def profile_update(*, acting_user, form):
    """Save the official's own profile form (the country is not in it: admins change that)."""
    changed = form.changed_data
    user = form.save()
    if changed:
        audit_record(
            actor=acting_user, action="profile.update", target=user, changes={"fields": changed}
        )
    return user


@transaction.atomic
def account_deactivate(*, acting_user):
    """The official closes their own account. Their content stays, by "a former member"."""
    user = acting_user
    user.is_active = False
    user.deactivated_at = timezone.now()
    user.save(update_fields=["is_active", "deactivated_at"])
    for session in UserSession.objects.filter(user=user):
        session.end()
    audit_record(actor=user, action="account.deactivate", target=user)
    return user
