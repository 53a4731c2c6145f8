"""The access policy for lessons: part of networks.access, which re-exports every name here.

Call these through `networks.access` (`access.readable_lessons(user)`, ...), like the rest of
the policy. Kept in a file of its own only for size.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from networks import access


def _lesson_models():
    from lessons.models import Audience, Lesson

    return Audience, Lesson


def _group_ids(user):
    """Working groups the user belongs to, in networks where they are an active member."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_working_group_ids", None)
    if cached is None:
        from networks.models import WorkingGroup

        memberships = access._memberships_by_network(user)
        cached = list(
            WorkingGroup.objects.filter(network_id__in=list(memberships), members=user).values_list(
                "pk", flat=True
            )
        )
        user._working_group_ids = cached
    return cached


def _space_ids(user):
    memberships = access._memberships_by_network(user)
    networks = list(memberships)
    moderated = [nid for nid, m in memberships.items() if m.capabilities.can_moderate]
    return networks, _group_ids(user), moderated


def _inside_home_space_q(user):
    """Lessons whose home space the user is inside: its network (for a network's own lessons),
    its working group, or as a moderator of its network."""
    networks, groups, moderated = _space_ids(user)
    return (
        Q(network_id__in=networks, working_group__isnull=True)
        | Q(working_group_id__in=groups)
        | Q(network_id__in=moderated)
    )


def readable_lessons(user):
    """Published lessons the user may read: every list, feed and search starts here."""
    Audience, Lesson = _lesson_models()
    published = Lesson.objects.filter(state=Lesson.State.PUBLISHED)
    if not user.is_authenticated:
        return published.filter(audience=Audience.PUBLIC)
    networks, groups, moderated = _space_ids(user)
    return published.filter(
        Q(audience__in=[Audience.PUBLIC, Audience.ALL_NETWORKS])
        | Q(audience=Audience.NETWORK, network_id__in=networks)
        | Q(audience=Audience.GROUP, working_group_id__in=groups)
        | Q(audience=Audience.GROUP, network_id__in=moderated)
    )


def public_lessons():
    """What a visitor who is not signed in may read."""
    Audience, Lesson = _lesson_models()
    return Lesson.objects.filter(state=Lesson.State.PUBLISHED, audience=Audience.PUBLIC)


def own_lessons(user):
    """The user's own lessons, in every state, in networks they still belong to."""
    _, Lesson = _lesson_models()
    if not user.is_authenticated:
        return Lesson.objects.none()
    return Lesson.objects.filter(
        author=user, network_id__in=list(access._memberships_by_network(user))
    )


def reviewable_lessons(user, network=None):
    """Lessons waiting for review in the networks the user moderates."""
    _, Lesson = _lesson_models()
    _, _, moderated = _space_ids(user)
    lessons = Lesson.objects.filter(state=Lesson.State.IN_REVIEW, network_id__in=moderated)
    if network is not None:
        lessons = lessons.filter(network=network)
    return lessons


def _reachable_lessons(user):
    """Every lesson whose page the user may open: readable, their own, or theirs to moderate."""
    _, Lesson = _lesson_models()
    if not user.is_authenticated:
        return public_lessons()
    _, _, moderated = _space_ids(user)
    return Lesson.objects.filter(
        Q(pk__in=readable_lessons(user).values("pk"))
        | Q(pk__in=own_lessons(user).values("pk"))
        | Q(
            network_id__in=moderated,
            state__in=[Lesson.State.IN_REVIEW, Lesson.State.WITHDRAWN, Lesson.State.PUBLISHED],
        )
    )


def get_lesson(user, pk):
    """The lesson, for anyone who may open it; 404 otherwise, as for a missing one."""
    lesson = (
        _reachable_lessons(user)
        .select_related(
            "network",
            "working_group",
            "author",
            "author_country",
            "technology_area",
            "policy_area",
        )
        .filter(pk=pk)
        .first()
    )
    if lesson is None:
        raise Http404
    return lesson


def get_public_lesson(pk):
    lesson = (
        public_lessons()
        .select_related("network", "author", "author_country", "technology_area", "policy_area")
        .filter(pk=pk)
        .first()
    )
    if lesson is None:
        raise Http404
    return lesson


def is_inside_home_space(user, lesson):
    """Members of a lesson's home space (and its network's moderators) see its conversation."""
    if not user.is_authenticated:
        return False
    networks, groups, moderated = _space_ids(user)
    if lesson.network_id in moderated:
        return True
    if lesson.working_group_id:
        return lesson.working_group_id in groups
    return lesson.network_id in networks


def can_edit_lesson(user, lesson):
    _, Lesson = _lesson_models()
    return (
        user.is_authenticated
        and lesson.author_id == user.pk
        and lesson.state != Lesson.State.WITHDRAWN
        and access.is_member(user, lesson.network)
    )


def can_moderate_lesson(user, lesson):
    return access.can_moderate(user, lesson.network)


def can_change_audience(user, lesson):
    """The author and the home network's moderators may narrow, and ask to widen."""
    return can_edit_lesson(user, lesson) or can_moderate_lesson(user, lesson)


def can_endorse(user, lesson):
    return user.is_authenticated and lesson.is_published and user.pk != lesson.author_id


def can_see_endorsers(user, lesson):
    """Inside the home space members see who endorsed; outside, only counts."""
    return is_inside_home_space(user, lesson)


def can_withdraw(user, lesson):
    _, Lesson = _lesson_models()
    if lesson.state == Lesson.State.WITHDRAWN:
        return False
    return can_edit_lesson(user, lesson) or can_moderate_lesson(user, lesson)


def can_restore(user, lesson):
    _, Lesson = _lesson_models()
    if lesson.state != Lesson.State.WITHDRAWN:
        return False
    is_author = lesson.author_id == user.pk and access.is_member(user, lesson.network)
    return is_author or can_moderate_lesson(user, lesson)


def audience_choices(*, in_working_group):
    """The audiences a lesson can have, narrowest first: "the working group" only for one."""
    Audience, _ = _lesson_models()
    return [a for a in Audience if in_working_group or a != Audience.GROUP]


@dataclass(frozen=True)
class ShownAuthor:
    """What a reader may see of a lesson's author."""

    label: str  # always safe to show
    name: str = ""  # the person, when the reader may see them
    country: str = ""  # the country, when the reader may see it
    official_id: int | None = None  # for a link to the profile, when the reader may see it


def shown_author(user, lesson, *, outside=False):
    """The author as this reader may see them. `outside=True` forces the outsider's view
    (public pages and feeds, whoever asks)."""
    from networks.models import Attribution

    author = lesson.author
    country = lesson.author_country.name
    if author.deactivated_at is not None:
        return ShownAuthor(label=_("a former member"))
    inside = not outside and is_inside_home_space(user, lesson)
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


# Search: what of a lesson's context a reader may see, as predicates and as querysets' Q, which
# must agree (tests/lessons/test_search_access.py). Facets count and filter by these.


def _network_named_by_attribution():
    """Under the Chatham House rule the author is shown as "a member of <network>"."""
    from networks.models import Attribution

    return Q(attribution=Attribution.CHATHAM, author__deactivated_at__isnull=True)


def network_shown_q(user):
    """Lessons whose network this reader may see named: their own networks', and those whose
    attribution names it anyway. Elsewhere it is "another network"."""
    return Q(network_id__in=list(access._memberships_by_network(user))) | (
        _network_named_by_attribution()
    )


def shown_network(user, lesson):
    """The lesson's network as this reader may see it, or None: "another network"."""
    from networks.models import Attribution

    if lesson.network_id in access._memberships_by_network(user):
        return lesson.network
    if lesson.attribution == Attribution.CHATHAM and lesson.author.deactivated_at is None:
        return lesson.network
    return None


def country_shown_q(user):
    """Lessons whose author's country this reader may see: agrees with shown_author()."""
    from networks.models import Attribution

    return Q(author__deactivated_at__isnull=True) & (
        _inside_home_space_q(user) | Q(attribution__in=[Attribution.NAMED, Attribution.COUNTRY])
    )


def working_group_shown_q(user):
    """A working group's name is known to the members of its network."""
    return Q(
        working_group__isnull=False,
        network_id__in=list(access._memberships_by_network(user)),
    )


def working_group_is_shown(user, lesson):
    return bool(lesson.working_group_id) and lesson.network_id in access._memberships_by_network(
        user
    )


def own_saved_searches(user):
    from lessons.models import SavedSearch

    if not user.is_authenticated:
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(owner=user)


def get_saved_search(user, pk):
    """One of the official's own saved searches; 404 for anyone else's, as for a missing one."""
    saved = own_saved_searches(user).filter(pk=pk).first()
    if saved is None:
        raise Http404
    return saved
