"""Writes about an official's own account. Same habits as networks/services/."""

import re
import uuid

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from minilateral.languages import is_offered
from networks import events
from networks.models import (
    AuditEvent,
    FocalPoint,
    FormSubmission,
    Invitation,
    JoinRequest,
    Membership,
    User,
)
from networks.services import audit_record

# Stored in redacted audit events in place of the person (stored data, like every event's label).
FORMER_MEMBER = "a former member"


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
def official_language_set(*, acting_user, language):
    """The official's choice of interface language ("" follows their browser), from the
    language switcher. The profile form saves it through profile_update."""
    if language and not is_offered(language):
        raise ValueError(f"Minilateral is not offered in {language!r}.")
    user = User.objects.select_for_update().get(pk=acting_user.pk)
    if user.language == language:
        return user
    user.language = language
    user.save(update_fields=["language"])
    acting_user.language = language
    audit_record(
        actor=acting_user, action="profile.update", target=user, changes={"fields": ["language"]}
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


# Privacy: what an official can take away, and what a platform admin can erase.

# Email addresses in what the export copies from the audit log and elsewhere: other people's
# addresses are replaced, so the export carries no one else's personal data.
_EMAIL = re.compile(r"[^@\s\"'<>,;]+@[^@\s\"'<>,;]+\.[^@\s\"'<>,;]+")
OTHER_ADDRESS = "[another official's address]"


def _redact(value, own_addresses):
    if isinstance(value, str):
        return _EMAIL.sub(
            lambda m: m.group(0) if m.group(0).lower() in own_addresses else OTHER_ADDRESS, value
        )
    if isinstance(value, list):
        return [_redact(item, own_addresses) for item in value]
    if isinstance(value, dict):
        return {key: _redact(item, own_addresses) for key, item in value.items()}
    return value


def exported_time(value):
    return value.isoformat() if value is not None else None


def exported_network(network):
    return {"slug": network.slug, "name": network.name} if network is not None else None


def _audit_events_of(user):
    """Events by the official, and about them: their account, memberships and join requests.
    Events by others name no one (not who acted, not who flagged): only what happened."""
    membership_ids = [
        str(pk) for pk in Membership.objects.filter(user=user).values_list("pk", flat=True)
    ]
    request_ids = [
        str(pk) for pk in JoinRequest.objects.filter(user=user).values_list("pk", flat=True)
    ]
    about = (
        Q(target_type="networks.user", target_id=str(user.pk))
        | Q(target_type="networks.membership", target_id__in=membership_ids)
        | Q(target_type="networks.joinrequest", target_id__in=request_ids)
    )
    events = AuditEvent.objects.filter(Q(actor=user) | about).select_related("network")
    return [
        {
            "when": exported_time(event.created_at),
            "action": event.action,
            "by_you": event.actor_id == user.pk,
            "network": exported_network(event.network),
            "target_type": event.target_type,
            "target_id": event.target_id,
            "target": event.target_label,
            "changes": event.changes,
            "from_address": event.ip_address if event.actor_id == user.pk else None,
        }
        for event in events.order_by("created_at", "id")
    ]


@transaction.atomic
def account_export_data(*, acting_user):
    """Everything Minilateral holds about the official, as a JSON-ready dict. Only their own
    data: never moderator notes, never who flagged their lessons, never others' addresses."""
    user = acting_user
    own_addresses = {user.email.lower()} | {
        address.lower()
        for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    data = {
        "format": "minilateral-personal-data/1",
        "exported_at": exported_time(timezone.now()),
        "profile": {
            "id": user.pk,
            "email": user.email,
            "full_name": user.full_name,
            "job_title": user.job_title,
            "organisation": user.organisation,
            "country": user.country.name if user.country_id else None,
            "languages": list(user.languages),
            "interface_language": user.language,
            "bio": user.bio,
            "date_joined": exported_time(user.date_joined),
            "last_login": exported_time(user.last_login),
            "is_active": user.is_active,
            "deactivated_at": exported_time(user.deactivated_at),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "second_factors": [
            {
                "type": a.type,
                "created_at": exported_time(a.created_at),
                "last_used_at": exported_time(a.last_used_at),
            }
            for a in Authenticator.objects.filter(user=user).order_by("pk")
        ],
        "sessions": [
            {
                "from_address": s.ip,
                "browser": s.user_agent,
                "signed_in_at": exported_time(s.created_at),
                "last_seen_at": exported_time(s.last_seen_at),
            }
            for s in UserSession.objects.filter(user=user).order_by("created_at")
        ],
        "single_sign_on_accounts": [
            {
                "provider": account.provider,
                "uid": account.uid,
                "linked_at": exported_time(account.date_joined),
            }
            for account in SocialAccount.objects.filter(user=user).order_by("pk")
        ],
        "memberships": [
            {
                "network": exported_network(m.network),
                "role": m.role,
                "state": m.state,
                "joined_at": exported_time(m.created_at),
                "changed_at": exported_time(m.updated_at),
            }
            for m in Membership.objects.filter(user=user).select_related("network").order_by("pk")
        ],
        "focal_point_of": [
            {
                "network": exported_network(f.network_country.network),
                "country": f.network_country.country.name,
            }
            for f in FocalPoint.objects.filter(user=user).select_related(
                "network_country__network", "network_country__country"
            )
        ],
        "working_groups": [
            {"network": exported_network(group.network), "name": group.name, "slug": group.slug}
            for group in user.working_groups.select_related("network").order_by("pk")
        ],
        # Invitations the official sent: not the invited person's address, which is theirs.
        "invitations_sent": [
            {
                "network": exported_network(i.network),
                "role": i.role,
                "country": i.country.name,
                "sent_at": exported_time(i.created_at),
                "expires_at": exported_time(i.expires_at),
                "accepted": i.accepted_at is not None,
                "revoked": i.revoked_at is not None,
            }
            for i in Invitation.objects.filter(invited_by=user)
            .select_related("network", "country")
            .order_by("pk")
        ],
        "invitations_received": [
            {
                "email": i.email,
                "network": exported_network(i.network),
                "role": i.role,
                "sent_at": exported_time(i.created_at),
                "expires_at": exported_time(i.expires_at),
                "accepted_at": exported_time(i.accepted_at),
                "revoked_at": exported_time(i.revoked_at),
            }
            for i in Invitation.objects.filter(Q(accepted_by=user) | Q(email__in=own_addresses))
            .select_related("network")
            .order_by("pk")
        ],
        "join_requests": [
            {
                "network": exported_network(r.network),
                "message": r.message,
                "state": r.state,
                "asked_at": exported_time(r.created_at),
                "decided_at": exported_time(r.decided_at),
            }
            for r in JoinRequest.objects.filter(user=user).select_related("network").order_by("pk")
        ],
    }
    # What the layers above keep of the official (their lessons, endorsements, flags...).
    for _receiver, sections in events.personal_data_requested.send(sender=User, user=user):
        data.update(sections)
    data["audit_events"] = _audit_events_of(user)
    data = _redact(data, own_addresses)
    audit_record(actor=user, action="account.export", target=user)
    return data


ERASED_EMAIL_DOMAIN = "erased.invalid"


@transaction.atomic
def official_erase(*, acting_user, official):
    """A platform admin erases an official: their personal data goes, their contributions stay,
    shown as by "a former member". The audit event says that it happened, not what was erased.

    The audit log is append-only (a database trigger); the one rewrite it allows is this one:
    events written before the erasure that name the official (their name or an address) are
    redacted to "a former member", and their address is dropped from events they caused. Who did
    what, and when, stays.
    """
    if not (acting_user.is_active and acting_user.is_superuser):
        raise PermissionDenied
    if official.pk == acting_user.pk:
        raise PermissionDenied  # an admin cannot erase themselves and lose the audit's actor
    user = User.objects.select_for_update().get(pk=official.pk)
    old_addresses = {user.email.lower()} | {
        address.lower()
        for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    placeholder = f"erased-{user.pk}-{uuid.uuid4().hex}@{ERASED_EMAIL_DOMAIN}"

    removed = {
        "email_addresses": EmailAddress.objects.filter(user=user).delete()[0],
        "second_factors": Authenticator.objects.filter(user=user).delete()[0],
        "single_sign_on_accounts": SocialAccount.objects.filter(user=user).delete()[0],
    }
    sessions = list(UserSession.objects.filter(user=user))
    for session in sessions:
        session.end()
    removed["sessions"] = len(sessions)
    # Invitations addressed to them carry their address; join requests their own words.
    Invitation.objects.filter(email__in=old_addresses).update(email=placeholder)
    JoinRequest.objects.filter(user=user).update(message="")
    FocalPoint.objects.filter(user=user).delete()
    user.working_groups.clear()
    Membership.objects.filter(user=user).exclude(state=Membership.State.LEFT).update(
        state=Membership.State.LEFT, updated_at=timezone.now()
    )
    # The forms they sent lately (networks/submissions.py) name the pages they acted on.
    FormSubmission.objects.filter(user=user).delete()
    # Django's admin history names the account it changed.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=placeholder)

    redacted = _redact_audit_events(
        user, needles=[*old_addresses, user.full_name], replacement=FORMER_MEMBER
    )

    user.email = placeholder
    user.full_name = ""
    user.job_title = ""
    user.organisation = ""
    user.bio = ""
    user.languages = []
    user.language = ""
    user.set_unusable_password()
    user.last_login = None
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.deactivated_at = user.deactivated_at or timezone.now()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    audit_record(
        actor=acting_user,
        action="account.erase",
        target=user,
        changes={"erased": True, "removed": removed, "audit_events_redacted": redacted},
    )
    return user


def _scrub(value, pattern, replacement):
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, list):
        return [_scrub(item, pattern, replacement) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, pattern, replacement) for key, item in value.items()}
    return value


def _redact_audit_events(user, *, needles, replacement):
    """Rewrite the events that name `user` (any of `needles`, case-insensitively) or that they
    caused (their address). Runs inside official_erase's transaction; returns how many changed."""
    needles = sorted({needle for needle in needles if needle and len(needle) >= 3}, key=len)[::-1]
    named = Q(actor_id=user.pk)
    for needle in needles:
        named |= Q(target_label__icontains=needle) | Q(changes_text__icontains=needle)
    events = AuditEvent.objects.annotate(changes_text=Cast("changes", TextField())).filter(named)
    # Whole words only: a short name ("Ana") must not be cut out of another word ("Banana").
    alternatives = "|".join(re.escape(needle) for needle in needles)
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)" if needles else r"(?!)", re.I)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL minilateral.audit_redaction = 'on'")
    redacted = 0
    for event in events.only("pk", "actor_id", "target_label", "changes", "ip_address"):
        label = pattern.sub(replacement, event.target_label)
        changes = _scrub(event.changes, pattern, replacement)
        address = None if event.actor_id == user.pk else event.ip_address
        if (label, changes, address) != (event.target_label, event.changes, event.ip_address):
            AuditEvent.objects.filter(pk=event.pk).update(
                target_label=label, changes=changes, ip_address=address
            )
            redacted += 1
    # Closed again at once: this transaction may be a savepoint inside a longer one. (A failure
    # above rolls the savepoint back, and the setting with it.)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL minilateral.audit_redaction = 'off'")
    return redacted
