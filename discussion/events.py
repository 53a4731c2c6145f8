"""What the discussion announces for the capabilities above it (search, notifications), which
subscribe in their AppConfig.ready. Sent inside the service's transaction."""

from django.dispatch import Signal

# Comments were written or deleted: comment_ids. Search reindexes them.
comments_changed = Signal()
# A comment was posted: comment, mentioned (the officials it mentions).
comment_posted = Signal()
# An edit mentions officials it did not before: comment, mentioned (only the new ones).
mentions_added = Signal()
