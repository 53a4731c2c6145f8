"""The audit log's writing side: the refusal every service raises when it cannot do what was
asked, the vocabulary of the log's actions, and `audit_record`, which each service calls inside
its own transaction."""

from django.utils.translation import gettext_lazy

from networks.middleware import current_ip_address
from networks.models import AuditEvent


class ActionRefused(Exception):
    """A request that is understood but cannot be carried out; the message is for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# The vocabulary of the audit log: every action a service (or the admin) records.
AUDIT_ACTIONS = {
    "invitation.create": gettext_lazy("Invited an official"),
    "invitation.resend": gettext_lazy("Sent an invitation again"),
    "invitation.revoke": gettext_lazy("Withdrew an invitation"),
    "invitation.accept": gettext_lazy("Accepted an invitation"),
    "join_request.create": gettext_lazy("Asked to join"),
    "join_request.approve": gettext_lazy("Approved a join request"),
    "join_request.decline": gettext_lazy("Declined a join request"),
    "membership.change_role": gettext_lazy("Changed a member’s role"),
    "membership.suspend": gettext_lazy("Suspended a member"),
    "membership.reinstate": gettext_lazy("Reinstated a member"),
    "membership.remove": gettext_lazy("Removed a member"),
    "membership.leave": gettext_lazy("Left the network"),
    "network.update": gettext_lazy("Changed the network’s purpose or policies"),
    "network.country_add": gettext_lazy("Added a member country"),
    "network.country_remove": gettext_lazy("Removed a member country"),
    "focal_point.add": gettext_lazy("Named a focal point"),
    "focal_point.remove": gettext_lazy("Removed a focal point"),
    "working_group.create": gettext_lazy("Created a working group"),
    "working_group.update": gettext_lazy("Edited a working group"),
    "working_group.archive": gettext_lazy("Archived a working group"),
    "working_group.set_members": gettext_lazy("Chose a working group’s members"),
    # What officials do to their own account, and what the other apps record.
    "account.deactivate": gettext_lazy("Closed their account"),
    "account.erase": gettext_lazy("Erased an official’s personal data"),
    "account.export": gettext_lazy("Downloaded their own data"),
    "profile.update": gettext_lazy("Updated their profile"),
    "lesson.approve": gettext_lazy("Approved a lesson"),
    "lesson.return": gettext_lazy("Returned a lesson to its author"),
    "lesson.withdraw": gettext_lazy("Withdrew a lesson"),
    "lesson.restore": gettext_lazy("Restored a withdrawn lesson"),
    "lesson.purge": gettext_lazy("Deleted a withdrawn lesson for good"),
    "lesson.attribution": gettext_lazy("Changed a lesson’s attribution"),
    "lesson.audience_request": gettext_lazy("Asked to widen a lesson’s audience"),
    "lesson.audience_widen": gettext_lazy("Widened a lesson’s audience"),
    "lesson.audience_narrow": gettext_lazy("Narrowed a lesson’s audience"),
    "lesson.audience_decline": gettext_lazy("Declined to widen a lesson’s audience"),
    "lesson.flag": gettext_lazy("Flagged a lesson"),
    "lesson.hide_by_flags": gettext_lazy("Lesson hidden by its flags"),
    "lesson.hide": gettext_lazy("Hid a lesson"),
    "lesson.restore_from_moderation": gettext_lazy("Restored a hidden or flagged lesson"),
    "lesson.feature": gettext_lazy("Featured a lesson"),
    "lesson.unfeature": gettext_lazy("Stopped featuring a lesson"),
    "lesson.note": gettext_lazy("Added a moderator note"),
    "lesson.taxonomy": gettext_lazy("Changed a lesson’s areas or tags"),
    "tags.merge": gettext_lazy("Merged two tags"),
    "comments.lock": gettext_lazy("Closed a lesson’s comments"),
    "comments.unlock": gettext_lazy("Reopened a lesson’s comments"),
    "comment.flag": gettext_lazy("Flagged a comment"),
    "comment.hide_by_flags": gettext_lazy("Comment hidden by its flags"),
    "comment.hide": gettext_lazy("Hid a comment"),
    "comment.restore": gettext_lazy("Restored a hidden comment"),
    "comment.flags_dismiss": gettext_lazy("Dismissed a comment’s flags"),
    "collection.create": gettext_lazy("Created a collection"),
    "collection.update": gettext_lazy("Edited a collection"),
    "collection.add": gettext_lazy("Added a lesson to a collection"),
    "collection.remove": gettext_lazy("Removed a lesson from a collection"),
    "collection.reorder": gettext_lazy("Reordered a collection"),
    "brief.export": gettext_lazy("Exported a brief"),
    "author.seen": gettext_lazy("Saw the real author of a lesson or question"),
    "admin.add": gettext_lazy("Added a record in the admin"),
    "admin.change": gettext_lazy("Changed a record in the admin"),
    "admin.delete": gettext_lazy("Deleted a record in the admin"),
}


def audit_record(*, actor, action, network=None, target=None, changes=None):
    """Append one audit event. Call it inside the service's transaction."""
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
