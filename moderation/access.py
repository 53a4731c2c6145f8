"""Who may see moderation's objects: the comments of a moderated network, and collections. The
lessons in them are always filtered again through lessons.access, one reader at a time."""

from django.db.models import OuterRef, Q, Subquery
from django.http import Http404

from discussion.models import Comment
from lessons import access as lesson_access
from lessons.models import Audience, Lesson
from moderation.models import Collection, CollectionItem
from networks import access as network_access


def moderated_comments(user, network):
    """Every comment on the lessons of a network the user moderates."""
    return Comment.objects.filter(lesson__in=lesson_access.moderated_lessons(user, network))


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


def visible_collections(user):
    """Collections the user may open (their lessons are then filtered one by one)."""
    if not user.is_authenticated:
        return Collection.objects.filter(audience=Audience.PUBLIC)
    networks, _groups, _moderated = network_access.space_ids(user)
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
    collection = (
        Collection.objects.select_related("network").filter(pk=pk, audience=Audience.PUBLIC).first()
    )
    if collection is None:
        raise Http404
    return collection


def collection_lessons(user, collection, *, outside=False):
    """A collection's lessons in order, leaving out any beyond this reader's reach."""
    readable = lesson_access.public_lessons() if outside else lesson_access.readable_lessons(user)
    items = CollectionItem.objects.filter(collection=collection)
    position = items.filter(lesson=OuterRef("pk")).values("position")[:1]
    return (
        readable.filter(pk__in=items.values("lesson"))
        .annotate(position=Subquery(position))
        .order_by("position", "pk")
    )


def brief_lessons(network, audience):
    """Lessons of a network whose audience reaches as far as a brief made for `audience`."""
    reach = [a for a in Audience if a.rank >= Audience(audience).rank]
    return Lesson.objects.filter(
        network=network, state=Lesson.State.PUBLISHED, is_hidden=False, audience__in=reach
    )
