from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation and curation")

    def ready(self):
        from moderation import receivers
        from networks import events as network_events

        network_events.personal_data_requested.connect(
            receivers.personal_data, dispatch_uid="moderation.personal_data"
        )
