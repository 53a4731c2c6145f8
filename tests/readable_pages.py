"""The pages of the URL sweep (tests/urls_sweep.py) a given client can read, with real arguments
from the demo world, for tests that look at every page: duplicate ids, narrow screens."""

import itertools
import re

from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

# Pages that change something when opened, stream files, or are not pages of the site.
SKIPPED_PREFIXES = ("/static/", "/admin/", "/media/", "/healthz", "/hello")
SKIPPED_NAMES = {"account_logout", "lessons:public_feed", "moderation:brief_download"}


def _patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", list(pattern.pattern.regex.groupindex)


def _candidates():
    """Values from the demo world for each argument name the site's URLs use."""
    from discussion.models import Comment
    from lessons.models import Lesson
    from moderation.models import Collection
    from networks.models import Network, User, WorkingGroup
    from notifications.models import Notification
    from questions.models import Question

    networks = list(Network.objects.order_by("pk").values_list("slug", flat=True))
    lessons = list(Lesson.objects.order_by("pk").values_list("pk", flat=True)[:6])
    ints = sorted(
        {
            *lessons,
            *Question.objects.order_by("pk").values_list("pk", flat=True)[:3],
            *Notification.objects.order_by("pk").values_list("pk", flat=True)[:2],
            *User.objects.order_by("pk").values_list("pk", flat=True)[:3],
        }
    )
    return {
        "slug": networks,
        "group_slug": list(WorkingGroup.objects.values_list("slug", flat=True)[:2]),
        "collection_slug": list(Collection.objects.values_list("slug", flat=True)[:2]),
        "pk": ints,
        "comment_id": list(Comment.objects.order_by("pk").values_list("pk", flat=True)[:3]),
    }


def readable_pages(client, *, limit_per_page=40):
    """(name, path) of every named page that answers 200 with HTML to `client`, once each."""
    candidates = _candidates()
    found = []
    for name, params in sorted({(n, tuple(p)) for n, p in _patterns()}):
        if name in SKIPPED_NAMES:
            continue
        choices = [candidates.get(param, []) for param in params]
        for values in itertools.islice(itertools.product(*choices), limit_per_page):
            try:
                path = reverse(name, kwargs=dict(zip(params, values, strict=True)))
            except NoReverseMatch:
                continue
            if path.startswith(SKIPPED_PREFIXES) or re.search(r"\.\w+$", path):
                break
            response = client.get(path)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                found.append((name, path))
                break
            if response.status_code == 405:
                break
    return found
