"""What the official's home shows: what is worth their attention now, across their networks and
in each of them.

Every item starts from the access module of its kind (`questions.access.listed_questions`,
`lessons.access.readable_lessons`, `discussion.access.followed_lessons`,
`notifications.access.visible_notifications`) and is shown as that module lets this reader see
it (`questions.access.shown_asker`, `lessons.access.shown_author`, through the cards of the
question and lesson lists). The home only narrows what those return: to the official's own
networks (a network they are not an active member of shows nothing here, not even a count) and
to what concerns them. Each section reads at most `SHOWN` rows, so the page runs the same
number of queries however many lessons, questions, answers and notifications there are.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from discussion import access as discussion_access
from lessons import access as lesson_access
from lessons.views import as_cards as lesson_cards
from lessons.views import with_counts
from networks import access as network_access
from networks.models import Membership, NetworkCountry
from notifications import access as notification_access
from notifications.models import Notification
from questions import access as question_access
from questions.models import Answer, CountryMute, Question
from questions.views import as_cards as question_cards
from questions.views import with_list_context

# Items per section: the home points at what is new; the lists behind it hold the rest.
SHOWN = 5
# "New" in a network's summary: published in the last two weeks, as on "My networks".
NEW_DAYS = 14
NEWEST = ("-published_at", "-pk")
# Notifications about a new comment on a discussion the official follows (each comment
# notifies a follower once, under the most personal of these kinds).
COMMENT_KINDS = [
    Notification.Kind.COMMENT,
    Notification.Kind.FOLLOWED_COMMENT,
    Notification.Kind.REPLY,
    Notification.Kind.MENTION,
]


def asked_of_country_q(country_id):
    """Questions whose expected answerers include the country, as
    `questions.access.countries_asked` lists them: a network's question asks every active
    member country; a working group's, the countries of its active members and of the
    network's moderators; never the asker's own (tests/home/test_home.py holds the two to
    agreement)."""
    network_country = NetworkCountry.objects.filter(
        network_id=OuterRef("network_id"), country_id=country_id, is_active=True
    )
    group_country = (
        network_access.active_memberships()
        .filter(network_id=OuterRef("network_id"), user__country_id=country_id)
        .filter(
            Q(user__working_groups=OuterRef("working_group_id"))
            | Q(role__in=Membership.Role.having("can_moderate"))
        )
    )
    asked = (Q(working_group__isnull=True) & Exists(network_country)) | (
        Q(working_group__isnull=False) & Exists(group_country)
    )
    return asked & ~Q(author_country_id=country_id)


@dataclass
class NetworkSummary:
    network: object
    membership: object
    waiting: int = 0
    new_lessons: int = 0
    pending_decisions: int = 0


@dataclass
class Home:
    country: object
    waiting: list = field(default_factory=list)  # [(question, asker)]
    asked: list = field(default_factory=list)  # [(question, asker, note)]
    discussions: list = field(default_factory=list)  # [(lesson, author, note)]
    areas: list = field(default_factory=list)  # names of the official's areas, or []
    area_lessons: list = field(default_factory=list)  # [(lesson, author)]
    has_groups: bool = False
    group_lessons: list = field(default_factory=list)
    featured: list = field(default_factory=list)
    networks: list = field(default_factory=list)  # [NetworkSummary]
    new_days: int = NEW_DAYS


def official_home(user):
    """The official's home as they may see it now: nothing at all without an active membership
    (a suspension takes effect from the next request, as everywhere)."""
    networks = network_access.memberships_by_network(user)
    home = Home(country=user.country)
    if not networks:
        return home
    network_ids = list(networks)
    waiting_counts = {}
    if user.country_id is not None:
        waiting_counts = _questions(user, home, network_ids)
    readable = lesson_access.readable_lessons(user).filter(network_id__in=network_ids)
    _discussions(user, home)
    _lessons(user, home, readable)
    since = timezone.now() - timedelta(days=NEW_DAYS)
    new_lessons = dict(
        readable.filter(published_at__gte=since)
        .order_by()
        .values("network_id")
        .annotate(count=Count("pk"))
        .values_list("network_id", "count")
    )
    pending = network_access.pending_join_request_counts(user)
    home.networks = [
        NetworkSummary(
            network=network,
            membership=networks[network.pk],
            waiting=waiting_counts.get(network.pk, 0),
            new_lessons=new_lessons.get(network.pk, 0),
            pending_decisions=pending.get(network.pk, 0),
        )
        for network in network_access.member_networks(user).order_by("name")
    ]
    return home


def _questions(user, home, network_ids):
    """Questions waiting for the official's country, and the others it was asked lately.
    Questions asked by officials of their own country are not waiting for it."""
    country = user.country_id
    asked = (
        question_access.listed_questions(user)
        .filter(network_id__in=network_ids)
        .filter(asked_of_country_q(country))
        .annotate(
            answered=Exists(
                Answer.objects.filter(
                    question=OuterRef("pk"), author_country_id=country, is_hidden=False
                )
            ),
            muted=Exists(CountryMute.objects.filter(question=OuterRef("pk"), country_id=country)),
        )
    )
    waiting = asked.filter(state=Question.State.OPEN, answered=False, muted=False)
    waiting_rows = list(
        with_list_context(waiting).order_by(
            F("deadline").asc(nulls_last=True), "-created_at", "-pk"
        )[:SHOWN]
    )
    home.waiting = question_cards(user, waiting_rows)
    others = asked.exclude(pk__in=[question.pk for question in waiting_rows]).order_by(
        "-created_at", "-pk"
    )
    home.asked = [
        (question, asker, _country_note(question, user.country))
        for question, asker in question_cards(user, with_list_context(others)[:SHOWN])
    ]
    return dict(
        waiting.order_by()
        .values("network_id")
        .annotate(count=Count("pk"))
        .values_list("network_id", "count")
    )


def _country_note(question, country):
    if question.answered:
        return _("%(country)s has answered.") % {"country": country}
    if question.muted:
        return _("Muted for %(country)s by its focal point.") % {"country": country}
    if question.state == Question.State.OPEN:
        return _("Waiting for an answer from %(country)s.") % {"country": country}
    return _("Closed without an answer from %(country)s.") % {"country": country}


def _discussions(user, home):
    """Discussions the official follows with comments they have not read: the unread
    notifications of those comments (reading them in the inbox, or opening one, clears them)."""
    followed = discussion_access.followed_lessons(user)
    unread = list(
        notification_access.visible_notifications(user)
        .filter(read_at__isnull=True, kind__in=COMMENT_KINDS)
        .filter(comment__lesson__in=followed.values("pk"))
        .order_by()
        .values("comment__lesson_id")
        .annotate(new=Count("pk"), latest=Max("created_at"))
        .order_by("-latest", "-comment__lesson_id")[:SHOWN]
    )
    if not unread:
        return
    ids = [row["comment__lesson_id"] for row in unread]
    lessons = {lesson.pk: lesson for lesson in with_counts(followed.filter(pk__in=ids))}
    rows = [lessons[pk] for pk in ids if pk in lessons]
    new = {row["comment__lesson_id"]: row["new"] for row in unread}
    home.discussions = [
        (
            lesson,
            author,
            ngettext("%(count)s new comment", "%(count)s new comments", new[lesson.pk])
            % {"count": new[lesson.pk]},
        )
        for lesson, author in lesson_cards(user, rows)
    ]


def _interest_areas(user):
    """The technology and policy areas of the lessons the official wrote or follows: their
    areas, as far as Minilateral knows them."""
    own = lesson_access.own_lessons(user).values("pk")
    followed = discussion_access.followed_lessons(user).values("pk")
    rows = (
        lesson_access.reachable_lessons(user)
        .filter(Q(pk__in=own) | Q(pk__in=followed))
        .order_by()
        .values_list(
            "technology_area_id", "technology_area__name", "policy_area_id", "policy_area__name"
        )
        .distinct()
    )
    technology, policy = {}, {}
    for technology_id, technology_name, policy_id, policy_name in rows:
        if technology_id is not None:
            technology[technology_id] = technology_name
        if policy_id is not None:
            policy[policy_id] = policy_name
    return technology, policy


def _lessons(user, home, readable):
    """Each lesson is listed once: with its working group's, else among the featured, else
    among the new ones in the official's areas."""
    groups = network_access.working_group_ids(user)
    home.has_groups = bool(groups)
    if groups:
        in_groups = readable.filter(working_group_id__in=groups).exclude(author=user)
        home.group_lessons = lesson_cards(user, with_counts(in_groups).order_by(*NEWEST)[:SHOWN])
    listed = [lesson.pk for lesson, _author in home.group_lessons]
    featured = readable.filter(is_featured=True).exclude(pk__in=listed)
    home.featured = lesson_cards(user, with_counts(featured).order_by(*NEWEST)[:SHOWN])
    listed += [lesson.pk for lesson, _author in home.featured]
    technology, policy = _interest_areas(user)
    home.areas = sorted({*technology.values(), *policy.values()})
    new = readable.exclude(author=user).exclude(working_group_id__in=groups).exclude(pk__in=listed)
    if home.areas:
        new = new.filter(Q(technology_area_id__in=technology) | Q(policy_area_id__in=policy))
    home.area_lessons = lesson_cards(user, with_counts(new).order_by(*NEWEST)[:SHOWN])
