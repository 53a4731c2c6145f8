"""What networks announces for the layers above it (they subscribe in their AppConfig.ready):
networks never imports them. Sent inside the service's transaction, so a receiver's writes
commit or roll back with it."""

from django.dispatch import Signal

# An official was invited (or invited again): invitation.
invitation_sent = Signal()
# A convenor or focal point decided a request to join: join_request.
join_request_decided = Signal()
# An official asked for everything Minilateral holds about them: user. Each receiver returns a
# dict of sections ({"lessons": [...], ...}) that joins the export.
personal_data_requested = Signal()
