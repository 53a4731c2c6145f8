"""Where one page's time goes: cProfile and the SQL time of a page, through the whole middleware
stack with DEBUG off, signed in as the first benchmark official.

    DATABASE_URL=... python bench/hotspots.py URL [--requests 20] [--sort tottime] [--top 30]

Run it on the benchmark databases (`minilateral_bench`, `minilateral_bench_1000`) to find what a
page spends its time on; bench/run.py measures throughput, this says why.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.environment import PRODUCTION_LIKE  # noqa: E402

for key, value in PRODUCTION_LIKE.items():
    os.environ.setdefault(key, value)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minilateral.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--sort", default="tottime", help="pstats sort key (tottime, cumulative)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--anonymous", action="store_true", help="not signed in")
    parser.add_argument("--sql", action="store_true", help="print each query and its time")
    parser.add_argument("--only", help="show only functions whose file matches this pattern")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.prepare import make_session, pick_officials_and_discussions

    client = Client(HTTP_USER_AGENT="minilateral-bench (wrk)", HTTP_HOST="127.0.0.1")
    if not args.anonymous:
        officials = pick_officials_and_discussions()[0]
        name, key = make_session(officials[0]).split("=", 1)
        client.cookies[name] = key
    response = client.get(args.url)  # warm: imports, caches, the first connection
    if response.status_code != 200:
        sys.exit(f"{args.url} answered {response.status_code}")

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        client.get(args.url)
        one = time.perf_counter() - started
    sql = sum(float(query["time"]) for query in captured.captured_queries)
    print(f"one request: {one * 1000:.1f} ms, {len(captured)} queries, SQL {sql * 1000:.1f} ms")
    if args.sql:
        for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"])):
            print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(args.requests):
        client.get(args.url)
    profiler.disable()
    elapsed = time.perf_counter() - started
    print(f"{args.requests} requests profiled: {elapsed / args.requests * 1000:.1f} ms each")
    output = io.StringIO()
    pstats.Stats(profiler, stream=output).sort_stats(args.sort).print_stats(
        *([args.only] if args.only else []), args.top
    )
    print(output.getvalue())


if __name__ == "__main__":
    main()
