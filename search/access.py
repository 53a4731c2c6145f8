"""An official's saved searches are theirs alone: anyone else's is missing (404)."""

from django.http import Http404

from search.models import SavedSearch


def own_saved_searches(user):
    if not user.is_authenticated:
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(owner=user)


def get_saved_search(user, pk):
    """One of the official's own saved searches; 404 for anyone else's, as for a missing one."""
    saved = own_saved_searches(user).filter(pk=pk).first()
    if saved is None:
        raise Http404
    return saved
