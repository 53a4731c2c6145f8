from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from discussion import events as discussion_events
        from lessons import events as lesson_events
        from networks import events as network_events
        from notifications import receivers

        for signal, receiver in [
            (lesson_events.lesson_published, receivers.lesson_published),
            (lesson_events.moderation_decided, receivers.moderation_decided),
            (lesson_events.audience_requested, receivers.audience_requested),
            (lesson_events.audience_decided, receivers.audience_decided),
            (discussion_events.comment_posted, receivers.comment_posted),
            (discussion_events.mentions_added, receivers.mentions_added),
            (network_events.invitation_sent, receivers.invitation_sent),
            (network_events.join_request_decided, receivers.join_request_decided),
        ]:
            signal.connect(receiver, dispatch_uid=f"notifications.{receiver.__name__}")
