"""Acting on several items of the workbench at once: approving lessons waiting for review,
hiding lessons and comments, dismissing flags.

Which items an action applies to is decided here (`applies`), from each item's state as it is
now, so that the confirmation page lists what will be done and `bulk_act` does exactly that:
each item is fetched again through the access modules, judged again, and acted on by the same
service as on its own page (each in its own savepoint, with its own audit event and its
author told as usual). An item that changed meanwhile, or is no longer the moderator's to
judge, is left as it is and counted.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy

from lessons import access as lesson_access
from lessons import services as lesson_services
from lessons.models import Lesson
from moderation import access
from moderation import services as moderation
from moderation.models import Flag
from networks.services import ActionRefused

ACTIONS = {
    "approve": gettext_lazy("Approve and publish"),
    "hide": gettext_lazy("Hide"),
    "dismiss": gettext_lazy("Dismiss the flags"),
}
# The most items one confirmation acts on: a queue longer than this is worked in rounds.
MOST_ITEMS = 100


def open_flags():
    """Each item's open flags, with who raised them, as `open_flags`."""
    return Prefetch(
        "flags",
        queryset=Flag.objects.filter(resolved_at__isnull=True).select_related("reporter"),
        to_attr="open_flags",
    )


def chosen_items(user, network, *, lesson_ids, comment_ids):
    """The chosen lessons and comments that the user moderates in this network; any other id
    (another network's, a missing one) is left out, as if it had not been sent."""
    lessons = list(
        lesson_access.moderated_lessons(user, network)
        .filter(pk__in=lesson_ids[:MOST_ITEMS])
        .select_related("network", "author")
        .prefetch_related(open_flags())
        .order_by("title", "pk")
    )
    comments = list(
        access.moderated_comments(user, network)
        .filter(pk__in=comment_ids[:MOST_ITEMS])
        .select_related("lesson__network", "author")
        .prefetch_related(open_flags())
        .order_by("created_at", "pk")
    )
    return lessons, comments


def applies(action, item):
    """Whether `action` applies to the lesson or comment as it is now."""
    if isinstance(item, Lesson):
        if action == "approve":
            return item.state == Lesson.State.IN_REVIEW
        if action == "hide":
            return not item.is_hidden
        # Dismissing flags shows a lesson that its flags hid, never one a moderator hid.
        return bool(item.open_flags) and not (item.is_hidden and item.hidden_reason)
    if item.is_deleted or action == "approve":
        return False
    if action == "hide":
        return not (item.is_hidden and item.hidden_by_id is not None)
    return bool(item.open_flags) and not item.is_hidden


@dataclass
class Outcome:
    done: list = field(default_factory=list)
    left: list = field(default_factory=list)


def _act(action, item, *, acting_user, reason):
    if isinstance(item, Lesson):
        if action == "approve":
            lesson_services.lesson_review_approve(acting_user=acting_user, lesson=item)
        elif action == "hide":
            moderation.lesson_hide(acting_user=acting_user, lesson=item, reason=reason)
        else:
            moderation.lesson_unhide(acting_user=acting_user, lesson=item, reason=reason)
    elif action == "hide":
        moderation.comment_hide(acting_user=acting_user, comment=item, reason=reason)
    else:
        moderation.comment_flags_dismiss(acting_user=acting_user, comment=item, reason=reason)


def bulk_act(*, acting_user, network, action, lesson_ids, comment_ids, reason=""):
    """Do `action` to each chosen item it still applies to. Returns an `Outcome`."""
    if action not in ACTIONS:
        raise ValueError(f"{action!r} is not an action on several items")
    outcome = Outcome()
    lessons, comments = chosen_items(
        acting_user, network, lesson_ids=lesson_ids, comment_ids=comment_ids
    )
    for item in [*lessons, *comments]:
        if not applies(action, item):
            outcome.left.append(item)
            continue
        try:
            with transaction.atomic():
                _act(action, item, acting_user=acting_user, reason=reason)
        except (ActionRefused, PermissionDenied):
            outcome.left.append(item)
        else:
            outcome.done.append(item)
    return outcome
