"""What lessons announces for the capabilities above it (they subscribe in their AppConfig.ready):
lessons never imports them. Sent inside the service's transaction, so a receiver's writes
commit or roll back with it."""

from django.dispatch import Signal

# Lessons were written (their text, tags, areas or language): lesson_ids. Search reindexes them.
lessons_changed = Signal()
# A lesson was published, by its author or on a moderator's approval: lesson, approved_by.
lesson_published = Signal()
# A moderator decided about a lesson or a comment: moderator, decision (an audit action such
# as "lesson.approve"), lesson, comment, reason. Its author is told.
moderation_decided = Signal()
# A wider audience was asked for, or decided: request (an AudienceRequest).
audience_requested = Signal()
audience_decided = Signal()
