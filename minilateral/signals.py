"""What the frame announces, for the apps above it to act on (it imports none of them)."""

from django.dispatch import Signal

# A signed-in official was refused a page (403 or 404): request, user, status, path.
access_refused = Signal()
