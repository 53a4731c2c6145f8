"""The audit log's types of event, as data: for each action code a service records, a label
(for the log's filter and its "what" column) and a sentence (what happened, in words, with the
person who acted and what it was about). `audit_record` refuses a code that is not here, and
tests/networks/test_audit_types.py reads the source for every code written."""

from typing import NamedTuple

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class EventType(NamedTuple):
    label: str
    # With %(actor)s (who acted, or "the system") and %(target)s (what it was about).
    sentence: str


EVENT_TYPES = {
    "invitation.create": EventType(
        _("Invited an official"), _("%(actor)s invited %(target)s to the network.")
    ),
    "invitation.resend": EventType(
        _("Sent an invitation again"), _("%(actor)s sent the invitation to %(target)s again.")
    ),
    "invitation.revoke": EventType(
        _("Withdrew an invitation"), _("%(actor)s withdrew the invitation to %(target)s.")
    ),
    "invitation.accept": EventType(
        _("Accepted an invitation"), _("%(actor)s accepted an invitation and joined.")
    ),
    "join_request.create": EventType(_("Asked to join"), _("%(actor)s asked to join the network.")),
    "join_request.approve": EventType(
        _("Approved a join request"), _("%(actor)s let %(target)s join the network.")
    ),
    "join_request.decline": EventType(
        _("Declined a join request"), _("%(actor)s declined the request of %(target)s to join.")
    ),
    "membership.change_role": EventType(
        _("Changed a member’s role"), _("%(actor)s changed the role of %(target)s.")
    ),
    "membership.suspend": EventType(_("Suspended a member"), _("%(actor)s suspended %(target)s.")),
    "membership.reinstate": EventType(
        _("Reinstated a member"), _("%(actor)s reinstated %(target)s.")
    ),
    "membership.remove": EventType(
        _("Removed a member"), _("%(actor)s removed %(target)s from the network.")
    ),
    "membership.leave": EventType(_("Left the network"), _("%(actor)s left the network.")),
    "network.update": EventType(
        _("Changed the network’s purpose or policies"),
        _("%(actor)s changed the network’s purpose or policies."),
    ),
    "network.country_add": EventType(
        _("Added a member country"), _("%(actor)s added %(target)s as a member country.")
    ),
    "network.country_remove": EventType(
        _("Removed a member country"), _("%(actor)s removed the member country %(target)s.")
    ),
    "focal_point.add": EventType(
        _("Named a focal point"), _("%(actor)s named %(target)s a focal point.")
    ),
    "focal_point.remove": EventType(
        _("Removed a focal point"), _("%(actor)s removed the focal point %(target)s.")
    ),
    "working_group.create": EventType(
        _("Created a working group"), _("%(actor)s created the working group “%(target)s”.")
    ),
    "working_group.update": EventType(
        _("Edited a working group"), _("%(actor)s edited the working group “%(target)s”.")
    ),
    "working_group.archive": EventType(
        _("Archived a working group"), _("%(actor)s archived the working group “%(target)s”.")
    ),
    "working_group.set_members": EventType(
        _("Chose a working group’s members"),
        _("%(actor)s chose the members of the working group “%(target)s”."),
    ),
    "account.deactivate": EventType(
        _("Closed their account"), _("%(actor)s closed their account.")
    ),
    "account.erase": EventType(
        _("Erased an official’s personal data"),
        _("%(actor)s erased the personal data of %(target)s."),
    ),
    "account.export": EventType(
        _("Downloaded their own data"), _("%(actor)s downloaded their own data.")
    ),
    "profile.update": EventType(_("Updated their profile"), _("%(actor)s updated a profile.")),
    "lesson.approve": EventType(
        _("Approved a lesson"), _("%(actor)s approved and published the lesson “%(target)s”.")
    ),
    "lesson.return": EventType(
        _("Returned a lesson to its author"),
        _("%(actor)s returned the lesson “%(target)s” to its author."),
    ),
    "lesson.withdraw": EventType(
        _("Withdrew a lesson"), _("%(actor)s withdrew the lesson “%(target)s”.")
    ),
    "lesson.restore": EventType(
        _("Restored a withdrawn lesson"),
        _("%(actor)s restored the withdrawn lesson “%(target)s”."),
    ),
    "lesson.purge": EventType(
        _("Deleted a withdrawn lesson for good"),
        _("%(actor)s deleted the withdrawn lesson “%(target)s” for good."),
    ),
    "lesson.attribution": EventType(
        _("Changed a lesson’s attribution"),
        _("%(actor)s changed how the author of “%(target)s” is shown."),
    ),
    "lesson.audience_request": EventType(
        _("Asked to widen a lesson’s audience"),
        _("%(actor)s asked to widen the audience of “%(target)s”."),
    ),
    "lesson.audience_widen": EventType(
        _("Widened a lesson’s audience"), _("%(actor)s widened the audience of “%(target)s”.")
    ),
    "lesson.audience_narrow": EventType(
        _("Narrowed a lesson’s audience"), _("%(actor)s narrowed the audience of “%(target)s”.")
    ),
    "lesson.audience_decline": EventType(
        _("Declined to widen a lesson’s audience"),
        _("%(actor)s declined to widen the audience of “%(target)s”."),
    ),
    "lesson.flag": EventType(
        _("Flagged a lesson"), _("%(actor)s flagged the lesson “%(target)s”.")
    ),
    "lesson.hide_by_flags": EventType(
        _("Lesson hidden by its flags"),
        _("The lesson “%(target)s” was hidden: enough members flagged it."),
    ),
    "lesson.hide": EventType(_("Hid a lesson"), _("%(actor)s hid the lesson “%(target)s”.")),
    "lesson.restore_from_moderation": EventType(
        _("Restored a hidden or flagged lesson"),
        _("%(actor)s restored the lesson “%(target)s” and resolved its flags."),
    ),
    "lesson.feature": EventType(
        _("Featured a lesson"), _("%(actor)s featured the lesson “%(target)s”.")
    ),
    "lesson.unfeature": EventType(
        _("Stopped featuring a lesson"), _("%(actor)s stopped featuring the lesson “%(target)s”.")
    ),
    "lesson.note": EventType(
        _("Added a moderator note"), _("%(actor)s added a moderator note to “%(target)s”.")
    ),
    "lesson.taxonomy": EventType(
        _("Changed a lesson’s areas or tags"),
        _("%(actor)s changed the areas or tags of “%(target)s”."),
    ),
    "tags.merge": EventType(_("Merged two tags"), _("%(actor)s merged two tags.")),
    "comments.lock": EventType(
        _("Closed a lesson’s comments"), _("%(actor)s closed the comments on “%(target)s”.")
    ),
    "comments.unlock": EventType(
        _("Reopened a lesson’s comments"), _("%(actor)s reopened the comments on “%(target)s”.")
    ),
    "comment.flag": EventType(_("Flagged a comment"), _("%(actor)s flagged a comment.")),
    "comment.hide_by_flags": EventType(
        _("Comment hidden by its flags"), _("A comment was hidden: enough members flagged it.")
    ),
    "comment.hide": EventType(_("Hid a comment"), _("%(actor)s hid a comment.")),
    "comment.restore": EventType(
        _("Restored a hidden comment"), _("%(actor)s restored a hidden comment.")
    ),
    "comment.flags_dismiss": EventType(
        _("Dismissed a comment’s flags"),
        _("%(actor)s dismissed the flags on a comment, which stays as it is."),
    ),
    "answer.flag": EventType(
        _("Flagged an answer"), _("%(actor)s flagged an answer to “%(target)s”.")
    ),
    "answer.hide_by_flags": EventType(
        _("Answer hidden by its flags"), _("An answer was hidden: enough members flagged it.")
    ),
    "answer.hide": EventType(_("Hid an answer"), _("%(actor)s hid an answer.")),
    "answer.restore": EventType(
        _("Restored a hidden answer"), _("%(actor)s restored a hidden answer.")
    ),
    "answer.flags_dismiss": EventType(
        _("Dismissed an answer’s flags"),
        _("%(actor)s dismissed the flags on an answer, which stays as it is."),
    ),
    "collection.create": EventType(
        _("Created a collection"), _("%(actor)s created the collection “%(target)s”.")
    ),
    "collection.update": EventType(
        _("Edited a collection"), _("%(actor)s edited the collection “%(target)s”.")
    ),
    "collection.add": EventType(
        _("Added a lesson to a collection"),
        _("%(actor)s added a lesson to the collection “%(target)s”."),
    ),
    "collection.remove": EventType(
        _("Removed a lesson from a collection"),
        _("%(actor)s removed a lesson from the collection “%(target)s”."),
    ),
    "collection.reorder": EventType(
        _("Reordered a collection"), _("%(actor)s reordered the collection “%(target)s”.")
    ),
    "brief.export": EventType(
        _("Exported a brief"), _("%(actor)s exported the brief “%(target)s”.")
    ),
    "author.seen": EventType(
        _("Saw the real author of a lesson or question"),
        _("%(actor)s saw who wrote “%(target)s”, which its readers see without its author."),
    ),
    "question.ask": EventType(
        _("Asked a question"), _("%(actor)s asked the question “%(target)s”.")
    ),
    "question.close": EventType(
        _("Closed a question"), _("%(actor)s closed the question “%(target)s”.")
    ),
    "question.withdraw": EventType(
        _("Withdrew a question"), _("%(actor)s withdrew the question “%(target)s”.")
    ),
    "question.mute": EventType(
        _("Muted a question for a country"),
        _("%(actor)s muted the question “%(target)s” for their country."),
    ),
    "question.unmute": EventType(
        _("Unmuted a question for a country"),
        _("%(actor)s unmuted the question “%(target)s” for their country."),
    ),
    "question.to_lesson": EventType(
        _("Turned a question into a lesson"),
        _("%(actor)s turned the question “%(target)s” into a lesson draft."),
    ),
    "admin.add": EventType(
        _("Added a record in the admin"), _("%(actor)s added “%(target)s” in the admin.")
    ),
    "admin.change": EventType(
        _("Changed a record in the admin"), _("%(actor)s changed “%(target)s” in the admin.")
    ),
    "admin.delete": EventType(
        _("Deleted a record in the admin"), _("%(actor)s deleted “%(target)s” in the admin.")
    ),
}


def label(action):
    """The event type's label; an unknown code (an event recorded before its type was named,
    which `audit_record` no longer allows) shows as itself."""
    found = EVENT_TYPES.get(action)
    return str(found.label) if found else action


def sentence(event):
    """What happened, in a sentence, for one `AuditEvent`."""
    found = EVENT_TYPES.get(event.action)
    actor = event.actor.display_name if event.actor_id else gettext("the system")
    if found is None:
        return f"{actor}: {event.action} {event.target_label}".strip()
    target = event.target_label or gettext("something no longer named")
    return str(found.sentence) % {"actor": actor, "target": target}
