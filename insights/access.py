"""What a network's insights count, for the convenor or moderator looking at them.

Whether someone may see a network's insights at all is decided by networks.access
(`can_view_insights`, `get_insights_network`). This module decides what their figures may
count, so that no figure reveals what the viewer could not see:

- lessons: the network's lessons the viewer may read (lessons.access.readable_lessons); of
  those homed in a working group, only the groups the viewer is a member of. A moderator's sight
  of every group is for moderating, not for counting: a group's activity is counted only for
  its own members;
- comments and endorsements: those on the counted lessons (comments neither deleted nor hidden);
- questions: the network's questions the viewer may open and a list shows
  (questions.access.listed_questions: never withdrawn ones), of working groups only the viewer's,
  as for lessons; answers (replies included): those on the counted questions, not hidden;
- per member country: only what shows its author's country to the network's members. Lessons
  and questions under the Chatham House rule, the comments and answers on them, and answers
  whose author chose the Chatham House rule, are counted in the totals only; so is the work of
  former members, whose country is no longer shown.
"""

from django.db.models import Q

from discussion.models import Comment
from lessons import access as lesson_access
from lessons.models import Endorsement
from networks import access as network_access
from networks.models import Attribution
from questions import access as question_access
from questions.models import Answer


def _in_network_and_own_groups(user, network):
    """The network's rows outside any working group, or in a group the viewer belongs to."""
    groups = network_access.working_group_ids(user)
    return Q(network=network) & (Q(working_group__isnull=True) | Q(working_group_id__in=groups))


def counted_lessons(user, network):
    """The network's lessons the viewer's figures count (published: readable_lessons)."""
    return lesson_access.readable_lessons(user).filter(_in_network_and_own_groups(user, network))


def counted_comments(user, network):
    return Comment.objects.filter(
        lesson__in=counted_lessons(user, network), deleted_at__isnull=True, is_hidden=False
    )


def counted_endorsements(user, network):
    return Endorsement.objects.filter(lesson__in=counted_lessons(user, network))


# Attributions that show the author's country (lessons.access.shown_author).
COUNTRY_SHOWN = [Attribution.NAMED, Attribution.COUNTRY]


def lessons_by_country(user, network):
    """Counted lessons that may be told by their author's country (`author_country`)."""
    return counted_lessons(user, network).filter(
        attribution__in=COUNTRY_SHOWN, author__deactivated_at__isnull=True
    )


def comments_by_country(user, network):
    """Counted comments that may be told by their author's country: not on a Chatham House
    lesson, not by a former member."""
    return counted_comments(user, network).filter(
        lesson__attribution__in=COUNTRY_SHOWN, author__deactivated_at__isnull=True
    )


def endorsements_by_country(user, network):
    """Counted endorsements, by the country of whoever gave them (not former members)."""
    return counted_endorsements(user, network).filter(user__deactivated_at__isnull=True)


def counted_questions(user, network):
    """The network's questions the viewer's figures count: each one the viewer may open."""
    return question_access.listed_questions(user).filter(_in_network_and_own_groups(user, network))


def counted_answers(user, network):
    """Answers and replies on the counted questions, not hidden by a moderator."""
    return Answer.objects.filter(question__in=counted_questions(user, network), is_hidden=False)


def questions_by_country(user, network):
    """Counted questions that may be told by their asker's country (`author_country`)."""
    return counted_questions(user, network).filter(
        attribution__in=COUNTRY_SHOWN, author__deactivated_at__isnull=True
    )


def answers_by_country(user, network):
    """Counted answers that may be told by their author's country (`author_country`): neither
    on a Chatham House question nor given under that rule, nor by a former member."""
    return counted_answers(user, network).filter(
        attribution__in=COUNTRY_SHOWN,
        question__attribution__in=COUNTRY_SHOWN,
        author__deactivated_at__isnull=True,
    )
