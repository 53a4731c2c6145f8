"""The public face of the network services: every write about who belongs where. Each service
takes the acting user, runs in one transaction, checks the access policy itself, and writes its
audit event in that transaction.

Callers import from here (`from networks import services`, `services.membership_invite(...)`).
Each topic lives in its own module:

- `audit`: `ActionRefused`, the audit log's vocabulary (`AUDIT_ACTIONS`) and `audit_record`;
- `invitations`: inviting officials, one or a pasted list; resending, withdrawing, accepting;
- `join_requests`: asking to join a network, approving and declining;
- `memberships`: roles, suspension and reinstatement, removal, leaving;
- `countries`: member countries and their focal points;
- `working_groups`: creating, editing, archiving working groups and choosing their members;
- `network`: the network's purpose and policies, and purging records kept for a limited time;
- `common`: what they share: telling the affected official, the permission check, row locks.

The names here are copies: a test that changes a module's setting (`RESEND_INTERVAL`) patches
the module that reads it, `networks.services.invitations`.
"""

from networks.services.audit import AUDIT_ACTIONS, ActionRefused, audit_record
from networks.services.countries import (
    focal_point_add,
    focal_point_remove,
    network_country_add,
    network_country_remove,
)
from networks.services.invitations import (
    InviteOutcome,
    country_for_email,
    invitation_accept,
    invitation_for_token,
    invitation_resend,
    invitation_revoke,
    membership_invite,
    membership_invite_many,
    token_digest,
)
from networks.services.join_requests import (
    join_request_approve,
    join_request_create,
    join_request_decline,
)
from networks.services.memberships import (
    membership_change_role,
    membership_leave,
    membership_reinstate,
    membership_remove,
    membership_suspend,
)
from networks.services.network import (
    NETWORK_POLICY_FIELDS,
    REFUSALS_KEPT_DAYS,
    network_update,
    purge_expired_records,
)
from networks.services.working_groups import (
    working_group_archive,
    working_group_create,
    working_group_set_members,
    working_group_update,
)

__all__ = [
    "AUDIT_ACTIONS",
    "NETWORK_POLICY_FIELDS",
    "REFUSALS_KEPT_DAYS",
    "ActionRefused",
    "InviteOutcome",
    "audit_record",
    "country_for_email",
    "focal_point_add",
    "focal_point_remove",
    "invitation_accept",
    "invitation_for_token",
    "invitation_resend",
    "invitation_revoke",
    "join_request_approve",
    "join_request_create",
    "join_request_decline",
    "membership_change_role",
    "membership_invite",
    "membership_invite_many",
    "membership_leave",
    "membership_reinstate",
    "membership_remove",
    "membership_suspend",
    "network_country_add",
    "network_country_remove",
    "network_update",
    "purge_expired_records",
    "token_digest",
    "working_group_archive",
    "working_group_create",
    "working_group_set_members",
    "working_group_update",
]
