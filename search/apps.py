from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from discussion import events as discussion_events
        from lessons import events as lesson_events
        from search import receivers

        lesson_events.lessons_changed.connect(
            receivers.reindex_lessons, dispatch_uid="search.lessons"
        )
        discussion_events.comments_changed.connect(
            receivers.reindex_comments, dispatch_uid="search.comments"
        )
