"""The access policy for lessons: part of networks.access, which re-exports every name here.

Call these through `networks.access` (`access.readable_lessons(user)`, ...), like the rest of
the policy. Kept in a file of its own only for size.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, Subquery
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


def _inside_home_space_q(user, prefix=""):
    """Lessons whose home space the user is inside: its network (for a network's own lessons),
    its working group, or as a moderator of its network. `prefix` reaches the lesson from
    another model ("lesson__")."""
    networks, groups, moderated = _space_ids(user)
    return (
        Q(**{f"{prefix}network_id__in": networks, f"{prefix}working_group__isnull": True})
        | Q(**{f"{prefix}working_group_id__in": groups})
        | Q(**{f"{prefix}network_id__in": moderated})
    )


def _readable_q(user):
    Audience, Lesson = _lesson_models()
    published = Q(state=Lesson.State.PUBLISHED, is_hidden=False)
    if not user.is_authenticated:
        return published & Q(audience=Audience.PUBLIC)
    networks, groups, moderated = _space_ids(user)
    return published & (
        Q(audience__in=[Audience.PUBLIC, Audience.ALL_NETWORKS])
        | Q(audience=Audience.NETWORK, network_id__in=networks)
        | Q(audience=Audience.GROUP, working_group_id__in=groups)
        | Q(audience=Audience.GROUP, network_id__in=moderated)
    )


def readable_lessons(user):
    """Published lessons the user may read: every list, feed and search starts here."""
    _, Lesson = _lesson_models()
    return Lesson.objects.filter(_readable_q(user))


def public_lessons():
    """What a visitor who is not signed in may read."""
    Audience, Lesson = _lesson_models()
    return Lesson.objects.filter(
        state=Lesson.State.PUBLISHED, audience=Audience.PUBLIC, is_hidden=False
    )


def _own_q(user):
    return Q(author=user, network_id__in=list(access._memberships_by_network(user)))


def own_lessons(user):
    """The user's own lessons, in every state, in networks they still belong to."""
    _, Lesson = _lesson_models()
    if not user.is_authenticated:
        return Lesson.objects.none()
    return Lesson.objects.filter(_own_q(user))


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
    """The rule of `_reachable_lessons` for one lesson in hand: readable, their own, or theirs
    to moderate (tests/lessons/test_lesson_access.py holds the two to agreement)."""
    Audience, Lesson = _lesson_models()
    published = lesson.state == Lesson.State.PUBLISHED and not lesson.is_hidden
    if not user.is_authenticated:
        return published and lesson.audience == Audience.PUBLIC
    networks, groups, moderated = _space_ids(user)
    readable = published and (
        lesson.audience in (Audience.PUBLIC, Audience.ALL_NETWORKS)
        or (lesson.audience == Audience.NETWORK and lesson.network_id in networks)
        or (
            lesson.audience == Audience.GROUP
            and (lesson.working_group_id in groups or lesson.network_id in moderated)
        )
    )
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
    generation (remembered: lessons.search.Remembered), which no write has changed since: it is
    judged the same way, not read again."""
    _, Lesson = _lesson_models()
    lesson = known
    if lesson is None or lesson.pk != pk:
        lesson = (
            Lesson.objects.select_related(*related)
            .defer("search_vector", "search_tags")
            .filter(pk=pk)
            .order_by("pk")
            .first()
        )
    if lesson is None or not may_open_lesson(user, lesson):
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
    Lesson = _lesson_models()[1]  # (not `_, Lesson`: `_` is gettext here)
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


# Moderation and curation


def get_moderated_network(user, slug):
    """The network whose workbench the user may open: 404 outside it, 403 for its other members."""
    network = access.get_member_network(user, slug)
    if not access.can_moderate(user, network):
        raise PermissionDenied
    return network


def moderated_lessons(user, network):
    """Every lesson of a network the user moderates, in any state but draft."""
    _, Lesson = _lesson_models()
    if not access.can_moderate(user, network):
        return Lesson.objects.none()
    return Lesson.objects.filter(network=network).exclude(state=Lesson.State.DRAFT)


def get_moderated_lesson(user, network, pk):
    lesson = moderated_lessons(user, network).filter(pk=pk).first()
    if lesson is None:
        raise Http404
    return lesson


# The discussion: comments, mentions and notifications. Rule 4: discussion never leaves the
# home space, so every question here starts from `is_inside_home_space`.


def _discussion_models():
    from lessons.models import Comment, Follow, Notification

    return Comment, Follow, Notification


def visible_comments(user, lesson):
    """The lesson's comments and replies, in order, for those inside its home space; nothing for
    anyone else. Deleted and hidden ones are included: the page shows them as placeholders."""
    Comment = _discussion_models()[0]
    if not is_inside_home_space(user, lesson):
        return Comment.objects.none()
    return lesson.comments.select_related("author", "author__country").order_by("created_at", "pk")


def search_view_key(user):
    """What of the platform this reader's searches may see, as a key for remembered search
    counts (lessons/search.py): readable_lessons, searchable_comments and what search names
    (network_shown_q, working_group_shown_q, country_shown_q) depend on the user through
    these spaces only. Two readers with the same key see the same searches."""
    if not user.is_authenticated:
        return ("visitor",)
    networks, groups, moderated = _space_ids(user)
    return ("official", sorted(networks), sorted(groups), sorted(moderated))


def searchable_comments(user):
    """Comments whose words search may find for this reader: on lessons they may read whose home
    space they are inside, never deleted or hidden ones (a moderator sees those on the page)."""
    Comment = _discussion_models()[0]
    if not user.is_authenticated:
        return Comment.objects.none()
    return Comment.objects.filter(
        _inside_home_space_q(user, prefix="lesson__"),
        lesson__in=readable_lessons(user),
        deleted_at__isnull=True,
        is_hidden=False,
    )


def can_see_hidden_comments(user, lesson):
    """A hidden comment is shown as "hidden by a moderator" to all but the network's moderators."""
    return can_moderate_lesson(user, lesson)


def comments_closed_reason(user, lesson):
    """Why this official, inside the home space, may not post on the lesson now; "" if they may."""
    Lesson = _lesson_models()[1]  # (not `_, Lesson`: `_` is gettext here)
    if lesson.state == Lesson.State.WITHDRAWN:
        return _("The lesson is withdrawn: its discussion is closed.")
    if not lesson.is_published:
        return _("Comments open when the lesson is published.")
    if lesson.comments_locked:
        return _("Comments on this lesson are closed.")
    if lesson.working_group_id and lesson.working_group.is_archived:
        return _("The working group is archived: its discussions are closed.")
    return ""


def can_comment(user, lesson):
    return is_inside_home_space(user, lesson) and not comments_closed_reason(user, lesson)


def can_edit_comment(user, comment):
    """Authors edit (and delete) their own comments while they may still comment there."""
    return (
        user.is_authenticated
        and comment.author_id == user.pk
        and not comment.is_deleted
        and not comment.is_hidden
        and can_comment(user, comment.lesson)
    )


def can_delete_comment(user, comment):
    return can_edit_comment(user, comment)


def can_see_comment_text(user, comment):
    """Whether this reader, inside the home space, may read the comment's words."""
    if comment.is_deleted:
        return False
    if comment.is_hidden:
        return can_see_hidden_comments(user, comment.lesson)
    return is_inside_home_space(user, comment.lesson)


def get_comment(user, lesson, comment_id):
    """One of the lesson's comments, for those inside its home space; 404 for anyone else."""
    comment = visible_comments(user, lesson).filter(pk=comment_id).first()
    if comment is None:
        raise Http404
    comment.lesson = lesson
    return comment


def get_discussion_lesson(user, pk):
    """A lesson whose discussion the user may take part in: 404 for readers outside its home
    space, exactly as for a missing lesson (its discussion does not exist for them)."""
    lesson = get_lesson(user, pk)
    if not is_inside_home_space(user, lesson):
        raise Http404
    return lesson


def can_flag(user, lesson):
    return user.is_authenticated and lesson.is_published and lesson.author_id != user.pk


def can_flag_comment(user, comment):
    """Readers of a comment's words (inside the home space) may report another's comment."""
    return (
        user.is_authenticated
        and comment.author_id != user.pk
        and not comment.is_deleted
        and not comment.is_hidden
        and is_inside_home_space(user, comment.lesson)
    )


def moderated_comments(user, network):
    """Every comment on the lessons of a network the user moderates."""
    Comment = _discussion_models()[0]
    return Comment.objects.filter(lesson__in=moderated_lessons(user, network))


def get_moderated_comment(user, network, comment_id):
    comment = (
        moderated_comments(user, network)
        .select_related("author", "author__country", "hidden_by", "lesson", "lesson__network")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        raise Http404
    return comment


def _collection_model():
    from lessons.models import Collection

    return Collection


def visible_collections(user):
    """Collections the user may open (their lessons are then filtered one by one)."""
    Audience, _ = _lesson_models()
    Collection = _collection_model()
    if not user.is_authenticated:
        return Collection.objects.filter(audience=Audience.PUBLIC)
    networks, _groups, _moderated = _space_ids(user)
    return Collection.objects.filter(
        Q(audience__in=[Audience.PUBLIC, Audience.ALL_NETWORKS]) | Q(network_id__in=networks)
    )


def get_collection(user, network_slug, slug):
    collection = (
        visible_collections(user)
        .select_related("network")
        .filter(network__slug=network_slug, slug=slug)
        .first()
    )
    if collection is None:
        raise Http404
    return collection


def get_public_collection(pk):
    Audience, _ = _lesson_models()
    Collection = _collection_model()
    collection = (
        Collection.objects.select_related("network").filter(pk=pk, audience=Audience.PUBLIC).first()
    )
    if collection is None:
        raise Http404
    return collection


def collection_lessons(user, collection, *, outside=False):
    """A collection's lessons in order, leaving out any beyond this reader's reach."""
    from lessons.models import CollectionItem

    readable = public_lessons() if outside else readable_lessons(user)
    items = CollectionItem.objects.filter(collection=collection)
    position = items.filter(lesson=OuterRef("pk")).values("position")[:1]
    return (
        readable.filter(pk__in=items.values("lesson"))
        .annotate(position=Subquery(position))
        .order_by("position", "pk")
    )


def brief_lessons(network, audience):
    """Lessons of a network whose audience reaches as far as a brief made for `audience`."""
    Audience, Lesson = _lesson_models()
    reach = [a for a in Audience if a.rank >= Audience(audience).rank]
    return Lesson.objects.filter(
        network=network, state=Lesson.State.PUBLISHED, is_hidden=False, audience__in=reach
    )


def home_space_members(lesson):
    """Officials inside the lesson's home space: active members of its network (or of its
    working group), and the network's moderators. Whom a comment may mention or reach."""
    from networks.models import Membership, User

    memberships = access.active_memberships().filter(network_id=lesson.network_id)
    if lesson.working_group_id:
        memberships = memberships.filter(
            Q(user__working_groups=lesson.working_group_id)
            | Q(role__in=Membership.Role.having("can_moderate"))
        )
    return User.objects.filter(pk__in=memberships.values("user_id"), is_active=True)


def mentionable_officials(user, lesson):
    """Whom the user may mention on the lesson: the officials of its home space, for those
    inside it; no one for anyone else (no other name can be found this way)."""
    from networks.models import User

    if not is_inside_home_space(user, lesson):
        return User.objects.none()
    return home_space_members(lesson).select_related("country").order_by("full_name", "pk")


def lesson_network_readers(lesson):
    """Active members of the lesson's network who may read it: who hears of a new lesson."""
    Audience = _lesson_models()[0]
    from networks.models import Membership, User

    memberships = access.active_memberships().filter(network_id=lesson.network_id)
    if lesson.audience == Audience.GROUP:
        memberships = memberships.filter(
            Q(user__working_groups=lesson.working_group_id)
            | Q(role__in=Membership.Role.having("can_moderate"))
        )
    return User.objects.filter(pk__in=memberships.values("user_id"), is_active=True)


def lesson_followers(lesson):
    """Officials inside the lesson's home space who follow its discussion."""
    return home_space_members(lesson).filter(follows__lesson=lesson)


def visible_comment_revisions(user, comment):
    """The earlier texts of a comment, for those who may read its words."""
    from lessons.models import CommentRevision

    if not can_see_comment_text(user, comment):
        return CommentRevision.objects.none()
    return comment.revisions.all()


def is_following(user, lesson):
    Follow = _discussion_models()[1]
    return (
        is_inside_home_space(user, lesson)
        and Follow.objects.filter(user=user, lesson=lesson).exists()
    )


def visible_notifications(user):
    """The official's notifications that the policy lets them see now. Those about their own
    membership always; the others only while they are an active member of the network, inside
    the home space for anything about comments, and able to open the lesson. A suspension or
    removal hides them from the very next request, and keeps them out of every email."""
    Notification = _discussion_models()[2]
    if not user.is_authenticated or not user.is_active:
        return Notification.objects.none()
    networks = list(access._memberships_by_network(user))
    lessons = _reachable_lessons(user)  # built once: its conditions are many

    def reachable(lesson_id):
        # Correlated: asked for each of the official's notifications, rather than listing
        # every lesson they may open (tens of thousands) before looking at any notification.
        return Q(Exists(lessons.filter(pk=OuterRef(lesson_id))))

    about_comment = (
        Q(comment__isnull=False)
        & reachable("comment__lesson_id")
        & _inside_home_space_q(user, prefix="comment__lesson__")
    )
    about_lesson = Q(comment__isnull=True, lesson__isnull=False) & reachable("lesson_id")
    about_network = Q(comment__isnull=True, lesson__isnull=True)
    return Notification.objects.filter(recipient=user).filter(
        Q(kind__in=Notification.Kind.about_own_membership())
        | (Q(network_id__in=networks) & (about_comment | about_lesson | about_network))
    )


def may_be_notified(user, *, kind, network, lesson=None, comment=None):
    """The same rule as `visible_notifications`, for a notification about to be recorded."""
    Notification = _discussion_models()[2]
    if not user.is_authenticated or not user.is_active:
        return False
    if kind in Notification.Kind.about_own_membership():
        return True
    if not access.is_member(user, network):
        return False
    if comment is not None:
        lesson = comment.lesson
        if not is_inside_home_space(user, lesson):
            return False
    if lesson is not None:
        return _reachable_lessons(user).filter(pk=lesson.pk).exists()
    return True


# The header shows the count on every page. Most officials have nothing unread, which one short
# query by the recipient's unread index says; a few unread ones are counted through the policy
# once for these very notifications, this view of the platform and this search generation (what
# the policy reads of lessons and comments moves it on), then remembered like a search.
UNREAD_REMEMBERED_UP_TO = 50


def unread_notification_count(user):
    Notification = _discussion_models()[2]
    if not user.is_authenticated or not user.is_active:
        return 0
    unread = tuple(
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[: UNREAD_REMEMBERED_UP_TO + 1]
    )
    if not unread:
        return 0

    def count():
        return visible_notifications(user).filter(read_at__isnull=True).count()

    if len(unread) > UNREAD_REMEMBERED_UP_TO:
        return count()
    from lessons.search import Remembered

    remembered = Remembered(user, ("unread notifications", user.pk, unread))
    counted = remembered.get("count")
    return remembered.keep("count", count()) if counted is None else counted


def get_notification(user, notification_id):
    notification = visible_notifications(user).filter(pk=notification_id).first()
    if notification is None:
        raise Http404
    return notification


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
