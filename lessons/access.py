"""The access policy for lessons: who may read, open, edit, endorse or moderate a lesson, and
what of its author, network and working group a reader may see. The one place where lesson
visibility is decided: every list, page, search, feed, email and export asks these functions
(the capabilities' own access modules build on them for comments, collections, notifications
and saved searches).

Built on networks.access, which knows the viewer's spaces (networks, working groups, moderated
networks), looked up once per request. Three kinds of function, as there:
- querysets of what a user may see (`readable_lessons`, `own_lessons`, ...);
- predicates of what a user may do (`can_edit_lesson`, `is_inside_home_space`, ...), each agreeing
  with its queryset (tests/lessons/test_lesson_access.py);
- fetchers that raise Http404 for outsiders, exactly as for a missing lesson (`get_lesson`).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from lessons.models import Audience, Lesson
from networks import access as network_access
from networks import ended as network_ended
from networks.models import Attribution, AuditEvent, Membership, User
from networks.services.audit import audit_record


def inside_home_space_q(user, prefix=""):
    """Lessons whose home space the user is inside: its network (for a network's own lessons),
    its working group, or as a moderator of its network. `prefix` reaches the lesson from
    another model ("lesson__")."""
    networks, groups, moderated = network_access.space_ids(user)
    return (
        Q(**{f"{prefix}network_id__in": networks, f"{prefix}working_group__isnull": True})
        | Q(**{f"{prefix}working_group_id__in": groups})
        | Q(**{f"{prefix}network_id__in": moderated})
    )


def audience_q(user):
    """Rows with an `audience`, a `network` and a `working_group` whose audience takes the user
    in: the audience rule of lessons, which the capabilities' own content (questions) shares."""
    if not user.is_authenticated:
        return Q(audience=Audience.PUBLIC)
    networks, groups, moderated = network_access.space_ids(user)
    return (
        Q(audience__in=[Audience.PUBLIC, Audience.ALL_NETWORKS])
        | Q(audience=Audience.NETWORK, network_id__in=networks)
        | Q(audience=Audience.GROUP, working_group_id__in=groups)
        | Q(audience=Audience.GROUP, network_id__in=moderated)
    )


def audience_takes_in(user, item):
    """The rule of `audience_q` for one row in hand (a lesson, a question)."""
    if not user.is_authenticated:
        return item.audience == Audience.PUBLIC
    networks, groups, moderated = network_access.space_ids(user)
    return (
        item.audience in (Audience.PUBLIC, Audience.ALL_NETWORKS)
        or (item.audience == Audience.NETWORK and item.network_id in networks)
        or (
            item.audience == Audience.GROUP
            and (item.working_group_id in groups or item.network_id in moderated)
        )
    )


def _readable_q(user):
    return Q(state=Lesson.State.PUBLISHED, is_hidden=False) & audience_q(user)


def readable_lessons(user):
    """Published lessons the user may read: every list, feed and search starts here."""
    return Lesson.objects.filter(_readable_q(user))


def public_lessons():
    """What a visitor who is not signed in may read."""
    return Lesson.objects.filter(
        state=Lesson.State.PUBLISHED, audience=Audience.PUBLIC, is_hidden=False
    )


def _own_q(user):
    return Q(author=user, network_id__in=list(network_access.memberships_by_network(user)))


def own_lessons(user):
    """The user's own lessons, in every state, in networks they still belong to."""
    if not user.is_authenticated:
        return Lesson.objects.none()
    return Lesson.objects.filter(_own_q(user))


def reviewable_lessons(user, network=None):
    """Lessons waiting for review in the networks the user moderates."""
    _, _, moderated = network_access.space_ids(user)
    lessons = Lesson.objects.filter(state=Lesson.State.IN_REVIEW, network_id__in=moderated)
    if network is not None:
        lessons = lessons.filter(network=network)
    return lessons


def reachable_lessons(user):
    """Every lesson whose page the user may open: readable, their own, or theirs to moderate."""
    if not user.is_authenticated:
        return public_lessons()
    _, _, moderated = network_access.space_ids(user)
    # The conditions of readable_lessons and own_lessons on the row itself, not as `pk IN
    # (subquery)`: PostgreSQL then finds one lesson by its key instead of listing them all.
    return Lesson.objects.filter(
        _readable_q(user)
        | _own_q(user)
        | Q(
            network_id__in=moderated,
            state__in=[Lesson.State.IN_REVIEW, Lesson.State.WITHDRAWN, Lesson.State.PUBLISHED],
        )
    )


# What a lesson's pages show beside it, read in the same query.
LESSON_CONTEXT = (
    "network",
    "working_group",
    "author",
    "author_country",
    "technology_area",
    "policy_area",
)


def may_open_lesson(user, lesson):
    """The rule of `reachable_lessons` for one lesson in hand: readable, their own, or theirs
    to moderate (tests/lessons/test_lesson_access.py holds the two to agreement)."""
    published = lesson.state == Lesson.State.PUBLISHED and not lesson.is_hidden
    if not user.is_authenticated:
        return published and lesson.audience == Audience.PUBLIC
    networks, _groups, moderated = network_access.space_ids(user)
    readable = published and audience_takes_in(user, lesson)
    own = lesson.author_id == user.pk and lesson.network_id in networks
    moderating = lesson.network_id in moderated and lesson.state in (
        Lesson.State.IN_REVIEW,
        Lesson.State.WITHDRAWN,
        Lesson.State.PUBLISHED,
    )
    return readable or own or moderating


def get_lesson(user, pk, *, related=LESSON_CONTEXT, known=None):
    """The lesson, for anyone who may open it; 404 otherwise, as for a missing one.

    Read by its key and judged by `may_open_lesson`: the policy's conditions in SQL cost more
    to build and plan than the row costs to read. `related` is what to read with it: each join
    costs PostgreSQL planning time too (a millisecond for all of LESSON_CONTEXT), so a page
    that needs less asks for less. `known` is the row as read earlier in this search
    generation (remembered: lessons.remembered.Remembered), which no write has changed since: it is
    judged the same way, not read again."""
    lesson = known
    if lesson is None or lesson.pk != pk:
        lesson = (
            Lesson.objects.select_related(*related)
            .defer("search_vector", "search_tags")
            .filter(pk=pk)
            .order_by("pk")
            .first()
        )
    if lesson is None:
        raise Http404
    if not may_open_lesson(user, lesson):
        if lesson.state != Lesson.State.DRAFT:
            # A former member of its network is told why, and nothing of the lesson.
            network_ended.refuse_former_member(user, lesson.network_id)
        raise Http404
    return lesson


def public_lesson_or_none(pk):
    """The public lesson `pk`, or None when there is none a visitor may read."""
    return (
        public_lessons()
        .select_related("network", "author", "author_country", "technology_area", "policy_area")
        .filter(pk=pk)
        .first()
    )


def get_public_lesson(pk):
    lesson = public_lesson_or_none(pk)
    if lesson is None:
        raise Http404
    return lesson


def is_inside_home_space(user, lesson):
    """Members of a lesson's home space (and its network's moderators) see its conversation."""
    if not user.is_authenticated:
        return False
    networks, groups, moderated = network_access.space_ids(user)
    if lesson.network_id in moderated:
        return True
    if lesson.working_group_id:
        return lesson.working_group_id in groups
    return lesson.network_id in networks


def can_edit_lesson(user, lesson):
    return (
        user.is_authenticated
        and lesson.author_id == user.pk
        and lesson.state != Lesson.State.WITHDRAWN
        and network_access.is_member(user, lesson.network)
    )


def can_moderate_lesson(user, lesson):
    return network_access.can_moderate(user, lesson.network)


def can_change_audience(user, lesson):
    """The author and the home network's moderators may narrow, and ask to widen."""
    return can_edit_lesson(user, lesson) or can_moderate_lesson(user, lesson)


def can_endorse(user, lesson):
    return user.is_authenticated and lesson.is_published and user.pk != lesson.author_id


def can_see_endorsers(user, lesson):
    """Inside the home space members see who endorsed; outside, only counts."""
    return is_inside_home_space(user, lesson)


def can_withdraw(user, lesson):
    if lesson.state == Lesson.State.WITHDRAWN:
        return False
    return can_edit_lesson(user, lesson) or can_moderate_lesson(user, lesson)


def can_restore(user, lesson):
    if lesson.state != Lesson.State.WITHDRAWN:
        return False
    is_author = lesson.author_id == user.pk and network_access.is_member(user, lesson.network)
    return is_author or can_moderate_lesson(user, lesson)


def audience_choices(*, in_working_group):
    """The audiences a lesson can have, narrowest first: "the working group" only for one."""
    return [a for a in Audience if in_working_group or a != Audience.GROUP]


@dataclass(frozen=True)
class ShownAuthor:
    """What a reader may see of a lesson's author."""

    label: str  # always safe to show
    name: str = ""  # the person, when the reader may see them
    country: str = ""  # the country, when the reader may see it
    official_id: int | None = None  # for a link to the profile, when the reader may see it

    def __str__(self):
        # A template that prints the author itself shows what the reader may see, never the fields.
        return self.label


def shown_author(user, lesson, *, outside=False):
    """The author as this reader may see them. `outside=True` forces the outsider's view
    (public pages and feeds, whoever asks)."""
    author = lesson.author
    country = lesson.author_country.name
    if author.deactivated_at is not None:
        return ShownAuthor(label=_("a former member"))
    inside = not outside and is_inside_home_space(user, lesson)
    if inside and lesson.attribution != Attribution.NAMED:
        record_author_seen(user, lesson)
    if inside or lesson.attribution == Attribution.NAMED:
        return ShownAuthor(
            label=_("%(name)s, %(country)s") % {"name": author.get_full_name(), "country": country},
            name=author.get_full_name(),
            country=country,
            official_id=author.pk if inside else None,
        )
    if lesson.attribution == Attribution.COUNTRY:
        return ShownAuthor(
            label=_("an official of %(country)s") % {"country": country}, country=country
        )
    return ShownAuthor(label=_("a member of %(network)s") % {"network": lesson.network.name})


# The sight of a hidden author by the home network's moderators and convenors is logged: one
# audit event per viewer, item and day (UTC), however often the page is opened or reloaded.
# The log itself says whether today's event is written, so no cache eviction, restart or
# other server can write a second one.
AUTHOR_SEEN = "author.seen"


def record_author_seen(user, item, *, in_admin=False):
    """Log that `user`, moderating the item's network (or in the admin, `in_admin`), saw the
    real author of a lesson or a question whose attribution hides them from readers outside its
    home space. Nothing for the author themselves, for a named author, or for a reader who does
    not moderate the network."""
    if not user.is_authenticated or user.pk == item.author_id:
        return
    if item.attribution == Attribution.NAMED:
        return
    if not in_admin and item.network_id not in network_access.space_ids(user)[2]:
        return
    label = item._meta.label_lower
    seen = _seen_today(user)
    if (label, str(item.pk)) in seen:
        return
    audit_record(
        actor=user,
        action="author.seen",  # AUTHOR_SEEN, written out for the audit types' sweep
        network=item.network,
        target=item,
        changes={"attribution": item.attribution},
    )
    seen.add((label, str(item.pk)))


def _seen_today(user):
    """The items whose hidden author `user` was logged seeing today, read once per request
    (kept on the user, as their spaces are), so that a list of many items asks once."""
    seen = getattr(user, "_author_seen_today", None)
    if seen is None:
        start_of_day = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
        seen = set(
            AuditEvent.objects.filter(
                actor=user, action=AUTHOR_SEEN, created_at__gte=start_of_day
            ).values_list("target_type", "target_id")
        )
        user._author_seen_today = seen
    return seen


def moderated_lessons(user, network):
    """Every lesson of a network the user moderates, in any state but draft."""
    if not network_access.can_moderate(user, network):
        return Lesson.objects.none()
    return Lesson.objects.filter(network=network).exclude(state=Lesson.State.DRAFT)


def get_moderated_lesson(user, network, pk):
    lesson = moderated_lessons(user, network).filter(pk=pk).first()
    if lesson is None:
        raise Http404
    return lesson


def search_view_key(user):
    """What of the platform this reader's searches may see, as a key for remembered search
    counts (lessons/remembered.py): readable_lessons, searchable_comments and what search names
    (network_shown_q, working_group_shown_q, country_shown_q) depend on the user through
    these spaces only. Two readers with the same key see the same searches."""
    if not user.is_authenticated:
        return ("visitor",)
    networks, groups, moderated = network_access.space_ids(user)
    return ("official", sorted(networks), sorted(groups), sorted(moderated))


def can_flag(user, lesson):
    return user.is_authenticated and lesson.is_published and lesson.author_id != user.pk


def home_space_members(lesson):
    """Officials inside the lesson's home space: active members of its network (or of its
    working group), and the network's moderators. Whom a comment may mention or reach."""
    memberships = network_access.active_memberships().filter(network_id=lesson.network_id)
    if lesson.working_group_id:
        memberships = memberships.filter(
            Q(user__working_groups=lesson.working_group_id)
            | Q(role__in=Membership.Role.having("can_moderate"))
        )
    return User.objects.filter(pk__in=memberships.values("user_id"), is_active=True)


def lesson_network_readers(lesson):
    """Active members of the lesson's network who may read it: who hears of a new lesson."""
    memberships = network_access.active_memberships().filter(network_id=lesson.network_id)
    if lesson.audience == Audience.GROUP:
        memberships = memberships.filter(
            Q(user__working_groups=lesson.working_group_id)
            | Q(role__in=Membership.Role.having("can_moderate"))
        )
    return User.objects.filter(pk__in=memberships.values("user_id"), is_active=True)


def _network_named_by_attribution():
    """Under the Chatham House rule the author is shown as "a member of <network>"."""
    return Q(attribution=Attribution.CHATHAM, author__deactivated_at__isnull=True)


def network_shown_q(user):
    """Lessons whose network this reader may see named: their own networks', and those whose
    attribution names it anyway. Elsewhere it is "another network"."""
    return Q(network_id__in=list(network_access.memberships_by_network(user))) | (
        _network_named_by_attribution()
    )


def shown_network(user, lesson):
    """The lesson's network as this reader may see it, or None: "another network"."""
    if lesson.network_id in network_access.memberships_by_network(user):
        return lesson.network
    if lesson.attribution == Attribution.CHATHAM and lesson.author.deactivated_at is None:
        return lesson.network
    return None


def country_shown_q(user):
    """Lessons whose author's country this reader may see: agrees with shown_author()."""
    return Q(author__deactivated_at__isnull=True) & (
        inside_home_space_q(user) | Q(attribution__in=[Attribution.NAMED, Attribution.COUNTRY])
    )


def working_group_shown_q(user):
    """A working group's name is known to the members of its network."""
    return Q(
        working_group__isnull=False,
        network_id__in=list(network_access.memberships_by_network(user)),
    )


def working_group_is_shown(user, lesson):
    return bool(
        lesson.working_group_id
    ) and lesson.network_id in network_access.memberships_by_network(user)
