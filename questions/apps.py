from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "questions"
    verbose_name = _("Questions")

    def ready(self):
        """Add questions to a network's home, a working group's page and the lesson page a
        question became, flagged answers to the moderation queue, and the official's questions
        and answers to their data export; teach notifications what a question's notice says and
        what a digest lists of them, and offer questions to search."""
        from lessons import pages as lesson_pages
        from moderation import pages as moderation_pages
        from networks import events as network_events
        from networks import pages as network_pages
        from questions import moderation_views, notices, receivers, views
        from questions import search as question_search

        network_pages.network_home.add(views.network_home_questions)
        network_pages.working_group_page.add(views.working_group_questions)
        lesson_pages.reader.add(views.lesson_source_questions)
        moderation_pages.workbench.add(moderation_views.workbench_flagged_answers)
        network_events.personal_data_requested.connect(
            receivers.personal_data, dispatch_uid="questions.personal_data"
        )
        notices.register()
        question_search.register()
