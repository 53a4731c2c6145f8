from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "discussion"
    verbose_name = _("Discussion")

    def ready(self):
        """Listen to lessons (authors follow their published lesson) and to networks (an
        official's data export holds their comments), and add the discussion to the lesson
        page."""
        from discussion import receivers, views
        from lessons import events as lesson_events
        from lessons import pages as lesson_pages
        from networks import events as network_events

        lesson_events.lesson_published.connect(
            receivers.author_follows_published_lesson, dispatch_uid="discussion.author_follows"
        )
        network_events.personal_data_requested.connect(
            receivers.personal_data, dispatch_uid="discussion.personal_data"
        )
        lesson_pages.shared.add(views.discussion_threads)
        lesson_pages.reader.add(views.discussion_context)
        lesson_pages.marks.add(views.following_mark)
