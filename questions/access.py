"""Who may see and do what with questions and their answers. Built on lessons/access.py: a
question's audience is decided by the lesson rule (`audience_q`, `audience_takes_in`), its
asker shown by the attribution rule (`shown_author`), and its answers, like a lesson's
discussion, never leave its home space (`is_inside_home_space`).

- querysets: `visible_questions`, `searchable_questions`, `visible_answers`;
- predicates: `can_ask_in`, `can_answer`, `can_edit_question`, `can_mark_helpful`,
  `can_flag_answer`, ...;
- fetchers raising Http404 for outsiders, exactly as for a missing question: `get_question`,
  `get_answer`, and for the network's moderators `get_moderated_answer`.

A suspended official has no space (networks.access.space_ids, looked up once per request), so
from the next request on they see no question of that network and may neither ask nor answer.
"""

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from lessons import access as lesson_access
from lessons.models import Audience
from networks import access as network_access
from networks import ended as network_ended
from networks.models import Membership, NetworkCountry, User
from questions.models import Answer, AnswerRevision, Question

# The audiences a question may have: a question is for officials, never for the public web.
QUESTION_AUDIENCES = (Audience.GROUP, Audience.NETWORK, Audience.ALL_NETWORKS)


def audience_choices(*, in_working_group):
    return [a for a in QUESTION_AUDIENCES if in_working_group or a != Audience.GROUP]


def _listed_q(user):
    """Open and closed questions whose audience takes the user in (withdrawn ones are their
    asker's only)."""
    return Q(state__in=[Question.State.OPEN, Question.State.CLOSED]) & lesson_access.audience_q(
        user
    )


def _own_q(user):
    return Q(author=user, network_id__in=list(network_access.memberships_by_network(user)))


def visible_questions(user):
    """Questions this user may open: listed for their audience, or their own while they still
    belong to its network. Every list, count and page starts here."""
    if not user.is_authenticated:
        return Question.objects.none()
    return Question.objects.filter(_listed_q(user) | _own_q(user))


def listed_questions(user):
    """The questions a list shows: those visible, but never withdrawn ones."""
    return visible_questions(user).exclude(state=Question.State.WITHDRAWN)


def searchable_questions(user):
    """The questions search finds, counts and names for this reader (questions/search.py): open
    and closed ones whose audience takes them in. Unlike `visible_questions`, not their own
    beyond that: what search remembers is shared by readers of the same spaces
    (lessons.access.search_view_key), so it may depend on the reader through their spaces only."""
    if not user.is_authenticated:
        return Question.objects.none()
    return Question.objects.filter(_listed_q(user))


def may_open_question(user, question):
    """The rule of `visible_questions` for one question in hand."""
    if not user.is_authenticated:
        return False
    networks = network_access.memberships_by_network(user)
    own = question.author_id == user.pk and question.network_id in networks
    listed = question.state != Question.State.WITHDRAWN and lesson_access.audience_takes_in(
        user, question
    )
    return own or listed


QUESTION_CONTEXT = ("network", "working_group", "author", "author_country", "policy_area")


def get_question(user, pk):
    """The question, for anyone who may open it; 404 otherwise, as for a missing one."""
    question = Question.objects.select_related(*QUESTION_CONTEXT).filter(pk=pk).first()
    if question is None:
        raise Http404
    if not may_open_question(user, question):
        # A former member of its network is told why, and nothing of the question.
        network_ended.refuse_former_member(user, question.network_id)
        raise Http404
    return question


def is_inside_home_space(user, question):
    return lesson_access.is_inside_home_space(user, question)


def shown_asker(user, question):
    """The asker as this reader may see them: inside the home space always; outside per the
    question's attribution (Chatham House: "a member of <network>", no person, no country)."""
    return lesson_access.shown_author(user, question)


# Asking


def askable_spaces(user):
    """The networks and working groups where the user may ask: [(network, [groups])]."""
    groups = network_access.visible_working_groups(user).filter(is_archived=False)
    by_network = {}
    for group in groups.select_related("network").order_by("name"):
        if can_ask_in(user, group.network, group):
            by_network.setdefault(group.network_id, []).append(group)
    return [
        (network, by_network.get(network.pk, []))
        for network in network_access.member_networks(user).order_by("name")
    ]


def can_ask_in(user, network, working_group=None):
    """Active members ask in their network, and in its working groups they belong to."""
    if not network_access.is_member(user, network):
        return False
    if working_group is None:
        return True
    return (
        working_group.network_id == network.pk
        and not working_group.is_archived
        and working_group.pk in network_access.working_group_ids(user)
    )


def can_edit_question(user, question):
    return (
        user.is_authenticated
        and question.author_id == user.pk
        and question.state == Question.State.OPEN
        and network_access.is_member(user, question.network)
    )


def can_close_question(user, question):
    """The asker, or the network's moderators, close an open question."""
    if question.state != Question.State.OPEN:
        return False
    return can_edit_question(user, question) or network_access.can_moderate(user, question.network)


def can_withdraw_question(user, question):
    if question.state == Question.State.WITHDRAWN:
        return False
    is_asker = question.author_id == user.pk and network_access.is_member(user, question.network)
    return is_asker or network_access.can_moderate(user, question.network)


def answers_closed_reason(question):
    """Why no one may answer the question now; "" if they may."""
    if question.state == Question.State.WITHDRAWN:
        return _("The question is withdrawn: it takes no more answers.")
    if question.state == Question.State.CLOSED:
        return _("The question is closed: it takes no more answers.")
    if question.working_group_id and question.working_group.is_archived:
        return _("The working group is archived: its discussions are closed.")
    return ""


def can_answer(user, question):
    return is_inside_home_space(user, question) and not answers_closed_reason(question)


def can_edit_answer(user, answer):
    return (
        user.is_authenticated
        and answer.author_id == user.pk
        and not answer.is_hidden
        and can_answer(user, answer.question)
    )


def can_mark_helpful(user, question):
    """Only the asker marks the answers that helped them, while inside the home space."""
    return (
        user.is_authenticated
        and question.author_id == user.pk
        and question.state != Question.State.WITHDRAWN
        and is_inside_home_space(user, question)
    )


def can_turn_into_lesson(user, question):
    """The asker turns a question into a lesson draft, once, while they may write lessons."""
    return (
        can_mark_helpful(user, question)
        and question.lesson_id is None
        and network_access.is_member(user, question.network)
    )


def can_mute(user, question):
    """A focal point of their own country, inside the question's home space."""
    if not is_inside_home_space(user, question) or user.country_id is None:
        return False
    return network_access.is_focal_point(user, question.network, user.country)


def visible_answers(user, question):
    """The question's answers and replies, in order, for those inside its home space; nothing
    for anyone else (hidden ones are included: the page shows a placeholder)."""
    if not is_inside_home_space(user, question):
        return Answer.objects.none()
    return question.answers.select_related("author", "author_country").order_by("created_at", "pk")


def can_see_answer_text(user, answer):
    """Inside the home space; a hidden answer only for the network's moderators and, with the
    moderator's reason, its author."""
    if not is_inside_home_space(user, answer.question):
        return False
    if answer.is_hidden:
        return answer.author_id == user.pk or network_access.can_moderate(
            user, answer.question.network
        )
    return True


def get_answer(user, question, answer_id):
    answer = visible_answers(user, question).filter(pk=answer_id).first()
    if answer is None:
        raise Http404
    answer.question = question
    return answer


def can_flag_answer(user, answer):
    """Members who read an answer report it: not its author, and not once it is hidden."""
    return (
        user.is_authenticated
        and answer.author_id != user.pk
        and not answer.is_hidden
        and is_inside_home_space(user, answer.question)
    )


def moderated_answers(user, network):
    """The answers of the network's questions, for its moderators; nothing for anyone else."""
    if not network_access.can_moderate(user, network):
        return Answer.objects.none()
    return Answer.objects.filter(question__network=network)


def get_moderated_answer(user, network, answer_id):
    answer = (
        moderated_answers(user, network)
        .select_related("author", "author_country", "question__network", "question__working_group")
        .filter(pk=answer_id)
        .first()
    )
    if answer is None:
        raise Http404
    return answer


def visible_answer_revisions(user, answer):
    if not can_see_answer_text(user, answer):
        return AnswerRevision.objects.none()
    return answer.revisions.all()


def home_space_members(question):
    """Officials inside the question's home space: whom an answer may mention."""
    return lesson_access.home_space_members(question)


def question_readers_in_network(question):
    """Active members of the question's network whom its audience takes in: who hears of it."""
    return lesson_access.lesson_network_readers(question)


def countries_asked(user, question):
    """The member countries of the question's home space, each with whether it answered and
    whether its focal point muted the question, for those inside the home space only:
    [(country, answered, muted)]. A working group's question asks its members' countries; the
    asker's own country asks, and is not listed among those asked."""
    if not is_inside_home_space(user, question):
        return []
    links = NetworkCountry.objects.filter(network_id=question.network_id, is_active=True).exclude(
        country_id=question.author_country_id
    )
    if question.working_group_id:
        members = (
            network_access.active_memberships()
            .filter(network_id=question.network_id)
            .filter(
                Q(user__working_groups=question.working_group_id)
                | Q(role__in=Membership.Role.having("can_moderate"))
            )
        )
        links = links.filter(country_id__in=members.values("user__country_id"))
    answered = set(
        question.answers.filter(is_hidden=False).values_list("author_country_id", flat=True)
    )
    muted = set(question.mutes.values_list("country_id", flat=True))
    return [
        (link.country, link.country_id in answered, link.country_id in muted)
        for link in links.select_related("country").order_by("country__name")
    ]


def mentionable_officials(user, question):
    if not is_inside_home_space(user, question):
        return User.objects.none()
    return home_space_members(question)


def questions_of_lesson(user, lesson):
    """The questions a lesson was made from, that this reader may open."""
    return visible_questions(user).filter(lesson=lesson)
