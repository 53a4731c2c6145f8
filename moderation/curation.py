"""Curation services: collections of lessons, and briefs exported from them or from filters.

Same habits as moderation/services.py, whose moderator check they share: keyword-only
arguments, the acting user, one transaction, one audit event for each act.
"""

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lessons.files import files_removed_on_failure
from lessons.models import Audience
from moderation import access, briefs
from moderation.models import Brief, Collection, CollectionItem
from moderation.services import _require_moderator
from networks.services import ActionRefused, audit_record

# Collections


@transaction.atomic
def collection_create(*, acting_user, network, title, introduction="", audience):
    _require_moderator(acting_user, network)
    if audience not in (Audience.NETWORK, Audience.ALL_NETWORKS, Audience.PUBLIC):
        raise ActionRefused(_("That audience is not available for a collection."))
    base = slugify(title)[:90] or "collection"
    if base == "new":  # the address of the form that makes collections
        base = "new-collection"
    slug, number = base, 1
    while Collection.objects.filter(network=network, slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    collection = Collection.objects.create(
        network=network,
        title=title.strip()[:200],
        slug=slug,
        introduction=(introduction or "").strip(),
        audience=audience,
        created_by=acting_user,
    )
    audit_record(actor=acting_user, action="collection.create", network=network, target=collection)
    return collection


@transaction.atomic
def collection_update(*, acting_user, collection, title, introduction, audience):
    _require_moderator(acting_user, collection.network)
    if audience not in (Audience.NETWORK, Audience.ALL_NETWORKS, Audience.PUBLIC):
        raise ActionRefused(_("That audience is not available for a collection."))
    changes = {}
    if collection.audience != audience:
        changes["audience"] = {"from": collection.audience, "to": audience}
    collection.title = title.strip()[:200]
    collection.introduction = (introduction or "").strip()
    collection.audience = audience
    collection.save(update_fields=["title", "introduction", "audience"])
    audit_record(
        actor=acting_user,
        action="collection.update",
        network=collection.network,
        target=collection,
        changes=changes,
    )
    return collection


@transaction.atomic
def collection_add_lesson(*, acting_user, collection, lesson):
    _require_moderator(acting_user, collection.network)
    if lesson.network_id != collection.network_id or not lesson.is_published:
        raise ActionRefused(_("Only this network’s published lessons can be collected."))
    last = collection.items.aggregate(last=Max("position"))["last"] or 0
    try:
        with transaction.atomic():
            CollectionItem.objects.create(collection=collection, lesson=lesson, position=last + 1)
    except IntegrityError:
        raise ActionRefused(_("This lesson is already in the collection.")) from None
    audit_record(
        actor=acting_user,
        action="collection.add",
        network=collection.network,
        target=collection,
        changes={"lesson": lesson.pk},
    )


@transaction.atomic
def collection_remove_lesson(*, acting_user, collection, lesson):
    _require_moderator(acting_user, collection.network)
    deleted, _rows = CollectionItem.objects.filter(collection=collection, lesson=lesson).delete()
    if not deleted:
        raise ActionRefused(_("This lesson is not in the collection."))
    audit_record(
        actor=acting_user,
        action="collection.remove",
        network=collection.network,
        target=collection,
        changes={"lesson": lesson.pk},
    )


@transaction.atomic
def collection_move(*, acting_user, collection, lesson, direction):
    """Move a lesson one place up or down (ordering that works without JavaScript)."""
    _require_moderator(acting_user, collection.network)
    items = list(collection.items.select_for_update().order_by("position", "pk"))
    index = next((i for i, item in enumerate(items) if item.lesson_id == lesson.pk), None)
    if index is None:
        raise ActionRefused(_("This lesson is not in the collection."))
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    audit_record(
        actor=acting_user,
        action="collection.reorder",
        network=collection.network,
        target=collection,
        changes={"lesson": lesson.pk, "direction": direction},
    )


# Briefs


@transaction.atomic
def brief_export(
    *,
    acting_user,
    network,
    title,
    audience,
    forum="",
    collection=None,
    lessons=None,
    filters=None,
):
    """Export a collection's lessons, or lessons matching filters, as a brief in four formats.

    Only lessons whose audience reaches `audience` go in, with each lesson's attribution for
    readers outside the network. No comment, moderator note or flag is ever part of a brief."""
    _require_moderator(acting_user, network)
    if audience not in (Audience.ALL_NETWORKS, Audience.PUBLIC, Audience.NETWORK):
        raise ActionRefused(_("That audience is not available for a brief."))
    eligible = access.brief_lessons(network, audience)
    if collection is not None:
        if collection.network_id != network.pk:
            raise PermissionDenied
        positions = {item.lesson_id: item.position for item in collection.items.all()}
        chosen = sorted(
            eligible.filter(pk__in=positions), key=lambda lesson: (positions[lesson.pk], lesson.pk)
        )
    else:
        chosen = list(
            (lessons if lessons is not None else eligible)
            .filter(pk__in=eligible.values("pk"))
            .order_by("-published_at", "pk")
        )
    if not chosen:
        raise ActionRefused(_("No lesson reaches that audience: the brief would be empty."))
    title = (title or "").strip()[:200] or pgettext("default title of a brief", "Brief")
    forum = (forum or "").strip()[:200]
    document = briefs.build(
        network=network, title=title, audience=audience, forum=forum, lessons=chosen
    )
    brief = Brief(
        network=network,
        title=title,
        audience=audience,
        forum=forum,
        collection=collection,
        filters=filters or {},
        lesson_count=len(chosen),
        created_by=acting_user,
    )
    stem = slugify(title) or "brief"
    with files_removed_on_failure(brief.pdf, brief.markdown, brief.csv, brief.json):
        brief.pdf.save(f"{stem}.pdf", ContentFile(briefs.to_pdf(document)), save=False)
        brief.markdown.save(
            f"{stem}.md", ContentFile(briefs.to_markdown(document).encode()), save=False
        )
        brief.csv.save(f"{stem}.csv", ContentFile(briefs.to_csv(document).encode()), save=False)
        brief.json.save(f"{stem}.json", ContentFile(briefs.to_json(document).encode()), save=False)
        brief.save()
        audit_record(
            actor=acting_user,
            action="brief.export",
            network=network,
            target=brief,
            changes={"audience": audience, "lessons": [lesson.pk for lesson in chosen]},
        )
    return brief
