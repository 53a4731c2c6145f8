from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = _("Lessons")

    def ready(self):
        """Listen to networks (an official's data export) and add lessons to its pages."""
        from django.db.models.signals import post_delete

        from lessons import files, receivers, views
        from lessons.models import Attachment
        from networks import events as network_events
        from networks import pages as network_pages

        network_events.personal_data_requested.connect(
            receivers.personal_data, dispatch_uid="lessons.personal_data"
        )
        post_delete.connect(
            files.attachment_deleted, sender=Attachment, dispatch_uid="lessons.attachment_file"
        )
        network_pages.network_home.add(views.network_home_lessons)
        network_pages.working_group_page.add(views.working_group_lessons)
