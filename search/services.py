"""Every write of search: an official's saved searches, to run again and to hear of new matches
in their digest."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from minilateral.validators import LINE_BREAKS
from networks.services import ActionRefused
from search.models import SavedSearch

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
