"""Notifications turn what the lower layers announce into notices and mail (connected in
apps.py). Each receiver runs inside the announcing service's transaction."""

from notifications import services


def lesson_published(sender, *, lesson, approved_by=None, **kwargs):
    services.notify_lesson_published(lesson, approved_by=approved_by)


def moderation_decided(
    sender, *, moderator, decision, lesson=None, comment=None, reason="", **kwargs
):
    services.notify_moderation_decision(
        moderator=moderator, decision=decision, lesson=lesson, comment=comment, reason=reason
    )


def audience_requested(sender, *, request, **kwargs):
    services.notify_audience_requested(request)


def audience_decided(sender, *, request, **kwargs):
    services.notify_audience_decided(request)


def comment_posted(sender, *, comment, mentioned=(), **kwargs):
    services.notify_comment_posted(comment, mentioned=mentioned)


def mentions_added(sender, *, comment, mentioned, **kwargs):
    services.notify_mentions_added(comment, mentioned)


def invitation_sent(sender, *, invitation, **kwargs):
    services.notify_invitation(invitation)


def join_request_decided(sender, *, join_request, **kwargs):
    services.notify_join_request_decided(join_request)
