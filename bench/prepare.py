"""The Django side of `make bench`: which URLs to load, with which sessions, and what each costs.

    DATABASE_URL=... python bench/prepare.py OUTPUT.json [--queries 40]

Run by bench/run.py once per database, in a process of its own (each database is a separate
Django set-up). It signs in the benchmark officials (seed_scale's, or members of the demo's
Digital Nations when the database holds no scale data) with sessions made as allauth's sign-in
leaves them, picks each page's URLs (the lesson and question pages at seed_scale's fixed
discussions and questions), loads each one in this process through the whole middleware stack
with DEBUG off to count its queries and bytes, and writes it all as JSON.
"""

import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.environment import production_like_django  # noqa: E402

# The deep page of the lesson list: the middle one, at most this far in.
DEEPEST_PAGE = 200
# Distinct URLs whose queries and bytes are counted per page (a sample of the search's).
MEASURED_URLS = 12
# First views: the lesson page over this many distinct lessons, search over this many words
# (each alone and with two facets), the list over this many of its pages (and as many sorted).
FIRST_VIEW_LESSONS = 2000
FIRST_VIEW_WORDS = 120
FIRST_VIEW_LIST_PAGES = 300


def fallback_network():
    """Without seed_scale's data: the demo's Digital Nations, or the network with most lessons."""
    from django.db.models import Count

    from networks.models import Network

    network = Network.objects.filter(slug="digital-nations").first()
    if network is None:
        network = Network.objects.annotate(n=Count("lessons")).order_by("-n", "pk").first()
    if network is None:
        sys.exit("The database holds no network: nothing to benchmark.")
    return network


def pick_officials_and_discussions():
    """(officials, network, [(size, lesson, comments)], source) from seed_scale's data, or
    the demo's."""
    from django.db.models import Count

    from demo import scale
    from lessons.models import Lesson
    from networks import access as network_access

    officials = list(scale.benchmark_officials())
    fixed = scale.discussion_lessons()
    if officials and fixed:
        network = next(iter(fixed.values())).network
        discussions = [(size, lesson, lesson.comments.count()) for size, lesson in fixed.items()]
        return officials, network, sorted(discussions, key=lambda d: d[0]), "seed_scale"
    network = fallback_network()
    members = [
        membership.user
        for membership in network_access.active_memberships()
        .filter(network=network)
        .select_related("user")
        .order_by("user__email")
    ]
    # Plain members only: a privileged role must pass the MFA step, which is not what is measured.
    officials = [user for user in members if not network_access.requires_mfa(user)][
        : scale.BENCHMARK_OFFICIAL_COUNT
    ]
    if not officials:
        sys.exit(f"{network} has no plain active member to sign in.")
    busiest = (
        Lesson.objects.filter(network=network, state=Lesson.State.PUBLISHED, is_hidden=False)
        .filter(working_group__isnull=True)
        .annotate(comment_count=Count("comments"))
        .order_by("-comment_count", "pk")[: len(scale.DISCUSSION_SIZES)]
    )
    # The demo's busiest discussions stand in for seed_scale's 20, 200 and 1,000 comments.
    by_size = sorted(busiest, key=lambda lesson: lesson.comment_count)
    discussions = [
        (size, lesson, lesson.comment_count)
        for size, lesson in zip(scale.DISCUSSION_SIZES, by_size, strict=False)
    ]
    return officials, network, discussions, "demo"


def pick_questions(network, source):
    """[(size, question, answers)]: seed_scale's fixed questions with 20 and 200 answers, or, in
    the demo's world, the network's questions with the most answers standing in for them."""
    from django.db.models import Count

    from demo import scale
    from lessons.models import Audience
    from questions.models import Question

    fixed = scale.answered_questions()
    if source == "seed_scale" and fixed:
        return [
            (size, question, question.answers.count())
            for size, question in sorted(fixed.items(), key=lambda item: item[0])
        ]
    busiest = (
        Question.objects.filter(
            network=network,
            working_group__isnull=True,
            state__in=[Question.State.OPEN, Question.State.CLOSED],
            audience__in=[Audience.NETWORK, Audience.ALL_NETWORKS],
        )
        .annotate(answer_count=Count("answers"))
        .order_by("-answer_count", "pk")[: len(scale.QUESTION_SIZES)]
    )
    by_size = sorted(busiest, key=lambda question: question.answer_count)
    return [
        (size, question, question.answer_count)
        for size, question in zip(scale.QUESTION_SIZES, by_size, strict=False)
    ]


def insights_viewer(network, source):
    """An official who may open the network's insights: a convenor, else a moderator. Those
    roles must use a second factor (networks.middleware.RequireMFAMiddleware). seed_scale's have
    none, so in its world, a database for benchmarks only, the first is given the demo's TOTP
    authenticator; elsewhere, without one, the page is left out."""
    from allauth.mfa.totp.internal.auth import TOTP

    from demo.management.commands.seed_demo import DEMO_TOTP_SECRET
    from networks import access as network_access
    from networks.middleware import has_second_factor
    from networks.models import Membership

    running = [
        membership.user
        for membership in network_access.active_memberships()
        .filter(network=network, role__in=Membership.Role.having("can_view_insights"))
        .select_related("user")
        .order_by("role", "user__email")  # convenors first
    ]
    for user in running:
        if has_second_factor(user):
            return user
    if running and source == "seed_scale":
        TOTP.activate(running[0], DEMO_TOTP_SECRET)
        return running[0]
    return None


def make_session(user):
    """A session as allauth's password sign-in leaves it: Django's login (and its signal, which
    stamps the sign-in time), allauth's record of the authentication, and its user session row."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.usersessions.models import UserSession
    from django.conf import settings
    from django.contrib.auth import login
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.test import RequestFactory

    request = RequestFactory().get(
        "/accounts/login/", REMOTE_ADDR="127.0.0.1", HTTP_USER_AGENT="minilateral-bench (wrk)"
    )
    SessionMiddleware(lambda request: None).process_request(request)
    request.user = AnonymousUser()
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    record_authentication(request, user, "password", email=user.email)
    request.session.save()
    UserSession.objects.create_from_request(request)
    return f"{settings.SESSION_COOKIE_NAME}={request.session.session_key}"


def pick_queries(count):
    """Words of the published lessons' vectors, from the rarest to the most common, spread
    evenly over their document frequencies, plus two-word, phrase, OR and exclusion forms."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, ndoc FROM ts_stat($$SELECT search_vector FROM lessons_lesson "
            "WHERE state = 'published' AND search_vector IS NOT NULL$$) "
            "WHERE word ~ '^[a-z]{4,}$' ORDER BY ndoc, word"
        )
        words = cursor.fetchall()
    if not words:
        sys.exit("No lesson is indexed: run `python manage.py search_reindex` first.")
    # Document frequencies spaced evenly on a log scale, rarest to commonest, one word each.
    single = max(count - 10, 1)
    low, high = math.log(words[0][1]), math.log(words[-1][1])
    chosen, taken = [], set()
    for i in range(single):
        target = math.exp(low + (high - low) * i / max(single - 1, 1))
        candidates = [w for w in words if w[0] not in taken]
        if not candidates:
            break
        word = min(candidates, key=lambda w: (abs(math.log(w[1]) - math.log(target)), w[0]))
        taken.add(word[0])
        chosen.append(word)
    chosen.sort(key=lambda w: (w[1], w[0]))
    common = [word for word, _ in words[-6:]]
    rare = [word for word, _ in words[:4]]
    queries = [(word, ndoc) for word, ndoc in chosen]
    queries += [(f"{a} {b}", None) for a, b in zip(common, rare, strict=False)]
    queries += [(f'"{a} {b}"', None) for a, b in zip(common[::2], common[1::2], strict=False)]
    queries += [(f"{a} OR {b}", None) for a, b in zip(rare, common, strict=False)]
    queries += [(f"{common[-1]} -{common[0]}", None)]
    while len(queries) < count:  # a small corpus: cycle through forms of its few words
        queries.append((queries[len(queries) % len(chosen)][0], None))
    return queries


def page(name, label, urls, cookies, *, first_views=False):
    """A page to load: its URLs paired in turn with the sessions (none: a visitor).
    `first_views`: bench/run.py forgets every remembered answer before each run of it."""
    if not cookies:
        requests = [[url, ""] for url in urls]
    else:
        pairs = max(len(urls), len(cookies))
        requests = [[urls[i % len(urls)], cookies[i % len(cookies)]] for i in range(pairs)]
    return {"name": name, "label": label, "requests": requests, "first_views": first_views}


def spread(items, count):
    """`count` items evenly spaced over `items` (all of them when fewer)."""
    if len(items) <= count:
        return list(items)
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def first_view_pages(officials, network, cookies, last_page, queries):
    """The pages as readers meet them for the first time: the lesson page rotating over
    thousands of distinct lessons the officials may read (any network's), search over hundreds
    of distinct queries (words from the rarest to the commonest, alone and with a facet), the
    list over its pages, deep ones and sorted ones."""
    from lessons import access as lesson_access
    from lessons.models import Lesson, TechnologyArea

    # What every official may read: the sessions rotate over all of them.
    readable = set.intersection(
        *(
            set(lesson_access.readable_lessons(user).values_list("pk", flat=True))
            for user in officials
        )
    )
    lessons = spread(sorted(readable), FIRST_VIEW_LESSONS)
    stages = [value for value, _label in Lesson.Stage.choices]
    areas = list(TechnologyArea.objects.order_by("pk").values_list("slug", flat=True)) or [""]
    searches = []
    for index, (query, _count) in enumerate(spread(queries, FIRST_VIEW_WORDS)):
        searches.append({"q": query})
        searches.append({"q": query, "stage": stages[index % len(stages)]})
        if areas[0]:
            searches.append({"q": query, "technology": areas[index % len(areas)]})
    lessons_url = f"/networks/{network.slug}/lessons/"
    numbers = spread(list(range(1, last_page + 1)), FIRST_VIEW_LIST_PAGES)
    lists = [f"{lessons_url}?page={n}" for n in numbers]
    lists += [f"{lessons_url}?sort=endorsed&page={n}" for n in numbers]
    return [
        page(
            "lesson_first",
            f"lesson page, first views ({len(lessons):,} lessons)",
            [f"/lessons/{pk}/" for pk in lessons],
            cookies,
            first_views=True,
        ),
        page(
            "search_first",
            f"search, first views ({len(searches):,} queries)",
            [f"/search/?{urlencode(search)}" for search in searches],
            cookies,
            first_views=True,
        ),
        page(
            "list_first",
            f"lesson list, first views ({len(lists):,} pages)",
            lists,
            cookies,
            first_views=True,
        ),
    ]


def measure(pages):
    """Each page's queries per request and response bytes, through the whole middleware stack
    in this process (DEBUG off): a warm request first, then a counted one, for a sample of URLs
    (of first views, with nothing remembered)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lessons import remembered

    for entry in pages:
        queries, sizes = [], []
        seen = set()
        for url, cookie in entry["requests"]:
            if url in seen:
                continue
            seen.add(url)
            if len(seen) > MEASURED_URLS:
                break
            client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=True)
            if cookie:
                client.cookies[settings.SESSION_COOKIE_NAME] = cookie.split("=", 1)[1]
            client.get(url)
            if entry.get("first_views"):
                remembered.forget_everything()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            if response.status_code != 200:
                sys.exit(f"{entry['name']}: {url} answered {response.status_code}, not 200.")
            queries.append(len(captured.captured_queries))
            sizes.append(len(response.content))
        entry["queries"] = statistics.mean(queries)
        entry["queries_max"] = max(queries)
        entry["bytes"] = round(statistics.mean(sizes))


def first_time_pages(pages):
    """Search, the lesson list, the lesson page, the official's home and the question page as
    they are the first time they are asked: before each request every reader's generation moves
    on (remembered.forget_everything), so nothing remembered is used. One request at a time in
    this process, in milliseconds: the rotating searches' p50 and p95, the medians of the lesson
    list's first page and of the smallest discussion's lesson page, asked for the first time and
    again (remembered), the median of the official's home asked for the first time, and those of
    the question page with the fewest and with the most answers (never remembered: every view
    is a first one)."""
    from django.conf import settings
    from django.test import Client

    from lessons import remembered

    by_name = {entry["name"]: entry for entry in pages}

    def timed(url, cookie, *, forget):
        client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=True)
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie.split("=", 1)[1]
        if forget:
            remembered.forget_everything()
        started = time.perf_counter()
        client.get(url)
        return (time.perf_counter() - started) * 1000

    searches = [timed(url, cookie, forget=True) for url, cookie in by_name["search"]["requests"]]
    url, cookie = by_name["list"]["requests"][0]
    lists = [timed(url, cookie, forget=True) for _ in range(9)]
    again = [timed(url, cookie, forget=False) for _ in range(9)]
    lesson = next(entry for entry in pages if entry["name"].startswith("lesson_"))
    url, cookie = lesson["requests"][0]
    lessons = [timed(url, cookie, forget=True) for _ in range(9)]
    lessons_again = [timed(url, cookie, forget=False) for _ in range(9)]
    # The official's home reads the busy network's newest lessons, questions and discussions
    # afresh on every request (only the header's unread count is remembered): its first view.
    url, cookie = by_name["home"]["requests"][0]
    homes = [timed(url, cookie, forget=True) for _ in range(9)]
    cuts = statistics.quantiles(searches, n=20, method="inclusive")
    questions = {}
    asked = sorted(
        (entry for entry in pages if entry["name"].startswith("question_")),
        key=lambda entry: int(entry["name"].split("_")[1]),
    )
    if asked:
        for key, entry in (("question", asked[0]), ("question_busy", asked[-1])):
            url, cookie = entry["requests"][0]
            questions[f"{key}_page"] = entry["label"]
            questions[f"{key}_ms"] = statistics.median(
                timed(url, cookie, forget=True) for _ in range(9)
            )
    insights = {}
    if "insights" in by_name:  # never remembered: every view is a first one
        url, cookie = by_name["insights"]["requests"][0]
        insights["insights_ms"] = statistics.median(
            timed(url, cookie, forget=True) for _ in range(9)
        )
    return {
        **insights,
        **questions,
        "search_p50": statistics.median(searches),
        "search_p95": cuts[18],
        "list_ms": statistics.median(lists),
        "list_again_ms": statistics.median(again),
        "lesson_page": lesson["label"],
        "lesson_ms": statistics.median(lessons),
        "lesson_again_ms": statistics.median(lessons_again),
        "home_ms": statistics.median(homes),
    }


def build_pages(officials, network, discussions, query_count, *, insights_user=None, questions=()):
    from lessons import access as lesson_access
    from lessons.models import Lesson
    from lessons.views import PAGE_SIZE

    cookies = [make_session(user) for user in officials]
    lessons_url = f"/networks/{network.slug}/lessons/"
    readable = lesson_access.readable_lessons(officials[0]).filter(network=network).count()
    last_page = max(1, math.ceil(readable / PAGE_SIZE))
    deep = min(max(2, last_page // 2), DEEPEST_PAGE, last_page)
    queries = pick_queries(query_count)
    # Many words for the first views' searches, however few the rotating searches use.
    first_view_queries = pick_queries(max(query_count, FIRST_VIEW_WORDS + 10))
    public = list(
        lesson_access.public_lessons().order_by("-published_at", "-pk").only("pk", "title")[:20]
    )
    pages = [
        page("hello", "floor: hello (signed in)", ["/hello/"], cookies),
        page("hello_visitor", "hello (visitor)", ["/hello/visitor/"], []),
        page("landing", "landing page (visitor)", ["/"], []),
        page("home", "the official's home", ["/"], cookies),
        page("my_networks", "my networks", ["/networks/"], cookies),
        page("network_home", "network home", [f"/networks/{network.slug}/"], cookies),
        page("list", "lesson list, first page", [lessons_url], cookies),
        page("list_deep", f"lesson list, page {deep}", [f"{lessons_url}?page={deep}"], cookies),
    ]
    for size, lesson, comments in discussions:
        pages.append(
            page(
                f"lesson_{size}",
                f"lesson page, {comments:,} comments",
                [lesson.get_absolute_url()],
                cookies,
            )
        )
    for size, question, answers in questions:
        pages.append(
            page(
                f"question_{size}",
                f"question page, {answers:,} answers",
                [question.get_absolute_url()],
                cookies,
            )
        )
    pages.append(
        page(
            "search",
            f"search, {len(queries)} rotating queries",
            [f"/search/?{urlencode({'q': q})}" for q, _ in queries],
            cookies,
        )
    )
    if public:
        pages.append(
            page("public_lesson", "public lesson page", [x.get_public_url() for x in public], [])
        )
    pages.append(page("feed", "Atom feed (public)", ["/public/lessons/feed/"], []))
    pages += first_view_pages(officials, network, cookies, last_page, first_view_queries)
    if insights_user is not None:
        pages.append(
            page(
                "insights",
                "network insights (convenor)",
                [f"/networks/{network.slug}/insights/"],
                [make_session(insights_user)],
            )
        )
    numbers = {
        "lessons": Lesson.objects.count(),
        "published": Lesson.objects.filter(state=Lesson.State.PUBLISHED).count(),
        "readable_in_network": readable,
        "pages_in_list": last_page,
    }
    return pages, queries, numbers


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--queries", type=int, default=40)
    args = parser.parse_args()

    import django

    production_like_django()  # here, not on import: a test importing this keeps its own
    django.setup()
    from django.db import connection

    started = time.monotonic()
    officials, network, discussions, source = pick_officials_and_discussions()
    pages, queries, numbers = build_pages(
        officials,
        network,
        discussions,
        max(args.queries, 40),
        insights_user=insights_viewer(network, source),
        questions=pick_questions(network, source),
    )
    measure(pages)
    first_time = first_time_pages(pages)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    args.output.write_text(
        json.dumps(
            {
                "source": source,
                "network": network.slug,
                "officials": [user.email for user in officials],
                "numbers": numbers,
                "queries": queries,
                "pages": pages,
                "first_time_search": first_time,
                "postgres": postgres,
                "seconds": round(time.monotonic() - started, 1),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
