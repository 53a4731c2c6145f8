"""The audit log's writing side: the refusal every service raises when it cannot do what was
asked, the vocabulary of the log's actions, and `audit_record`, which each service calls inside
its own transaction."""

from networks.audit_types import EVENT_TYPES
from networks.middleware import current_ip_address
from networks.models import AuditEvent


class ActionRefused(Exception):
    """A request that is understood but cannot be carried out; the message is for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# The vocabulary of the audit log, code -> label; the types themselves are networks.audit_types.
AUDIT_ACTIONS = {code: event_type.label for code, event_type in EVENT_TYPES.items()}


def audit_record(*, actor, action, network=None, target=None, changes=None):
    """Append one audit event. Call it inside the service's transaction. The action is one of
    the log's types of event (`EVENT_TYPES`), so that the log can say it in words."""
    if action not in EVENT_TYPES:
        raise ValueError(f"{action!r} is not a type of audit event (networks.audit_types)")
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        network=network,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:300] if target is not None else "",
        changes=changes or {},
        ip_address=current_ip_address(),
    )
