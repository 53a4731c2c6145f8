"""Every write of search: an official's saved searches, to run again and to hear of new matches
in their digest."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minilateral.validators import LINE_BREAKS
from networks.models import User
from networks.services import ActionRefused
from search.engine import saved_search_new_matches
from search.models import SavedSearch, SavedSearchAlert

MAX_SAVED_SEARCHES = 50


@transaction.atomic
def saved_search_create(*, acting_user, params, name=""):
    """Save the search (a search.params.SearchParams) under a name, or its description."""
    if not acting_user.is_authenticated:
        raise PermissionDenied
    if params.is_empty:
        raise ActionRefused(_("Search for something, or choose a filter, before saving."))
    mine = SavedSearch.objects.select_for_update().filter(owner=acting_user)
    if len(mine) >= MAX_SAVED_SEARCHES:
        raise ActionRefused(
            _("You can keep up to %(limit)s saved searches: delete one first.")
            % {"limit": MAX_SAVED_SEARCHES}
        )
    if any(char in LINE_BREAKS for char in name or ""):
        raise ActionRefused(_("Keep the name of a search on one line: remove the line breaks."))
    name = " ".join((name or "").split())[:120] or params.describe()
    return SavedSearch.objects.create(owner=acting_user, name=name, query=params.as_saved())


@transaction.atomic
def saved_search_delete(*, acting_user, saved_search):
    if saved_search.owner_id != acting_user.pk:
        raise PermissionDenied
    saved_search.delete()


# How far back a saved search's first digest looks, and how many matches one digest lists.
ALERT_LOOKBACK = timedelta(days=30)
MAX_ALERTS_PER_DIGEST = 20


@transaction.atomic
def saved_search_alerts_take(*, owner):
    """The new matches of `owner`'s saved searches that no digest has told them of yet, as
    [(saved search, [lessons])], each lesson one `owner` may read now (search.engine.
    saved_search_new_matches goes through the access policy); recorded as told in the caller's
    transaction, so that they are told once, together with the email that tells them."""
    found, told = [], set()
    now = timezone.now()
    for saved in SavedSearch.objects.filter(owner=owner).order_by("created_at", "pk"):
        room = MAX_ALERTS_PER_DIGEST - len(told)
        if room <= 0:
            break
        since = max(saved.created_at, now - ALERT_LOOKBACK)
        lessons = [
            lesson
            for lesson in saved_search_new_matches(saved, since).exclude(
                pk__in=SavedSearchAlert.objects.filter(saved_search=saved).values("lesson_id")
            )[: MAX_ALERTS_PER_DIGEST * 2]
            if lesson.pk not in told
        ][:room]
        if lessons:
            SavedSearchAlert.objects.bulk_create(
                [SavedSearchAlert(saved_search=saved, lesson=lesson) for lesson in lessons],
                ignore_conflicts=True,
            )
            told |= {lesson.pk for lesson in lessons}
            found.append((saved, lessons))
    return found


def saved_search_owners():
    """The active officials with at least one saved search: those a digest may tell of matches."""
    return (
        User.objects.filter(is_active=True, deactivated_at__isnull=True)
        .filter(pk__in=SavedSearch.objects.values("owner_id"))
        .order_by("pk")
    )
