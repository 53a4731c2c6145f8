"""`make bench`: the search page against the unfiltered lesson list, on the same server.

Runs inside scripts/database.py (which sets DATABASE_URL) on whatever data the database holds
(the demo world if it holds no lesson; issue H's seed_scale builds large data). It starts the app
as in production (gunicorn, DEBUG off, 2 workers, persistent connections), signs one official in
(a session made directly, as sign-in would leave it), picks at least 40 search queries from the
indexed words, from the rarest to the most common (plus phrases, OR and exclusions), and then, in
interleaved rounds, loads each page from concurrent keep-alive clients for a fixed time. It prints
p50 and p95 latency and throughput of each, their ratios, and how many lessons it ran on.

Not part of `make test`. Options: python bench/search.py --help. The load generator is Python
threads on the same machine as the server: compare the two pages, not the absolute numbers.
"""

import argparse
import http.client
import math
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

# The server's environment, and this process's own (to read the data and make the session).
PRODUCTION_LIKE = {
    "DEBUG": "off",
    "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "off",
    "SECURE_COOKIES": "off",
    "SECURE_HSTS_SECONDS": "0",
    "CONN_MAX_AGE": "60",
    "MAIL_TO_CONSOLE": "on",
    "LOG_LEVEL": "WARNING",
}
for key, value in PRODUCTION_LIKE.items():
    os.environ.setdefault(key, value)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minilateral.settings")


def manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT, check=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def setup_django():
    import django

    django.setup()


def lesson_numbers(user):
    from lessons.models import Lesson
    from networks import access

    return {
        "lessons": Lesson.objects.count(),
        "published": Lesson.objects.filter(state=Lesson.State.PUBLISHED).count(),
        "readable by the official": access.readable_lessons(user).count(),
    }


def pick_official(email):
    from networks import access
    from networks.models import User

    if email:
        return User.objects.get(email=email)
    demo = User.objects.filter(email="lucia.perez@gub.uy", is_active=True).first()
    if demo is not None:
        return demo
    membership = access.active_memberships().select_related("user").order_by("pk").first()
    if membership is None:
        sys.exit("No official is an active member of any network: nothing to benchmark.")
    return membership.user


def make_session(user):
    """A signed-in session, as allauth's sign-in leaves it (without the password round trip)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from networks.middleware import SIGNED_IN_AT_SESSION_KEY

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SIGNED_IN_AT_SESSION_KEY] = int(time.time())
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


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


def run_load(port, cookie, urls, *, seconds, concurrency):
    """Keep-alive clients requesting the URLs in turn for `seconds`: latencies and errors."""
    latencies, errors = [], []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(offset):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        index = offset
        mine, failures = [], 0
        while time.monotonic() < deadline:
            url = urls[index % len(urls)]
            index += 1
            started = time.perf_counter()
            try:
                connection.request("GET", url, headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                ok = False
            elapsed = time.perf_counter() - started
            if ok:
                mine.append(elapsed)
            else:
                failures += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            errors.append(failures)

    threads = [threading.Thread(target=client, args=(i * 7,)) for i in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return latencies, sum(errors), elapsed


def summary(latencies, errors, elapsed):
    if not latencies:
        return {"requests": 0, "errors": errors, "rps": 0.0, "p50": float("nan"), "p95": 0.0}
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "errors": errors,
        "rps": len(ordered) / elapsed,
        "p50": statistics.median(ordered) * 1000,
        "p95": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000,
    }


def wait_until_up(port, cookie, url, server):
    for _ in range(150):
        if server.poll() is not None:
            sys.exit("The app server stopped while starting.")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", url, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                return
            sys.exit(f"{url} answered {response.status}: is the official signed in?")
        except OSError:
            time.sleep(0.2)
    sys.exit("The app server did not start.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8, help="per page per round")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (medians)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--queries", type=int, default=40, help="at least 40")
    parser.add_argument("--email", help="the official to search as (default: a demo member)")
    args = parser.parse_args()
    args.queries = max(args.queries, 40)

    manage("migrate", "--no-input", "--verbosity", "0")
    manage("createcachetable")
    manage("collectstatic", "--no-input", "--verbosity", "0")
    setup_django()
    from django.db import connection

    from lessons.models import Lesson
    from networks import access

    if not Lesson.objects.exists():
        print("The database holds no lesson: loading the demo world (seed_demo --force).")
        manage("seed_demo", "--force")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE lessons_lesson")
    official = pick_official(args.email)
    network = access.member_networks(official).order_by("pk").first()
    if network is None:
        sys.exit(f"{official.email} is an active member of no network.")
    numbers = lesson_numbers(official)
    queries = pick_queries(args.queries)
    cookie = make_session(official)
    connection.close()

    list_url = f"/networks/{network.slug}/lessons/"
    search_urls = [f"/search/?{urlencode({'q': q})}" for q, _ in queries]
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "minilateral.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=PROJECT,
    )
    try:
        wait_until_up(port, cookie, list_url, server)
        load = os.getloadavg()[0]
        print(
            f"\nSearching as {official.email} on {numbers['lessons']} lessons "
            f"({numbers['published']} published, {numbers['readable by the official']} "
            f"readable by this official); list page {list_url}."
        )
        print(f"{len(queries)} rotating queries, rarest to most common (lessons with the word):")
        print(
            "  "
            + ", ".join(f"{q} ({n})" if n is not None else q for q, n in queries[:60])
            + ("" if len(queries) <= 60 else ", ...")
        )
        print(
            f"Load average before: {load:.2f}. {args.rounds} rounds x {args.seconds:g} s per page, "
            f"{args.concurrency} keep-alive clients.\n"
        )
        for url in [list_url, *search_urls]:  # warm every worker's caches and plans
            run_load(port, cookie, [url], seconds=0.05, concurrency=2)
        rounds = {"list": [], "search": []}
        for number in range(args.rounds):
            for name, urls in (("list", [list_url]), ("search", search_urls)):
                result = summary(
                    *run_load(
                        port, cookie, urls, seconds=args.seconds, concurrency=args.concurrency
                    )
                )
                rounds[name].append(result)
                print(
                    f"  round {number + 1} {name:6} {result['rps']:8.1f} req/s  "
                    f"p50 {result['p50']:7.1f} ms  p95 {result['p95']:7.1f} ms  "
                    f"({result['requests']} requests, {result['errors']} errors)"
                )
    finally:
        server.terminate()
        server.wait(timeout=30)

    def median(name, key):
        return statistics.median(r[key] for r in rounds[name])

    print(f"\nMedians of {args.rounds} rounds, on {numbers['lessons']} lessons:")
    print(f"  {'page':8} {'req/s':>9} {'p50 ms':>9} {'p95 ms':>9}")
    for name in ("list", "search"):
        print(
            f"  {name:8} {median(name, 'rps'):9.1f} {median(name, 'p50'):9.1f} "
            f"{median(name, 'p95'):9.1f}"
        )
    throughput = median("search", "rps") / max(median("list", "rps"), 1e-9)
    p95 = median("search", "p95") / max(median("list", "p95"), 1e-9)
    print(
        f"  search/list: throughput x{throughput:.2f}, p95 x{p95:.2f} "
        f"(goal: p95 within x2.00 of the list's)"
    )
    errors = sum(r["errors"] for page in rounds.values() for r in page)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
