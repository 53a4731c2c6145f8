"""`make bench`: the app as in production, under wrk, at 1,000 and at 100,000 lessons.

Runs inside scripts/database.py, which sets DATABASE_URL; the data sizes live in databases of
their own on that server (`minilateral_bench_1000` and `minilateral_bench` by default), seeded by
`manage.py seed_scale --lessons N` when missing or of another size. For each size it starts the app
as in production (gunicorn, DEBUG off, 2 workers, persistent connections), signs in the benchmark
officials (bench/prepare.py: sessions as sign-in leaves them; queries and bytes per page), checks
that every URL answers 200, then loads each page with wrk (bench/rotate.lua rotates URLs and
session cookies) in interleaved rounds: every page on every server in turn, round after round;
each round quiet, then busy (bench/writer.py posting comments and editing lessons across all
networks beside the reads). First-view pages (thousands of distinct lessons, hundreds of
searches, the list's pages) start each run with nothing remembered.
It prints the medians and writes them into the "Results" section of docs/benchmarks.md, with
the pass or fail of each goal. It refuses to start while the machine is busy (--force to go on).

    make bench                          # the full run (sizes 1000 and 100000)
    make bench ARGS="--quick"           # a smoke run: this database as it is, short rounds
    make bench ARGS="--help"
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench import report  # noqa: E402
from bench.environment import PRODUCTION_LIKE  # noqa: E402

DOCUMENT = PROJECT / "docs" / "benchmarks.md"
LUA = PROJECT / "bench" / "rotate.lua"
# A database counts as seeded to a size when it holds this close to that many lessons (seed_scale
# builds on top of the demo world, whose lessons count too).
SIZE_TOLERANCE = 0.02
SIZE_TOLERANCE_LESSONS = 100
# URLs of each first-view page asked once before the runs (every other page: all of them).
FIRST_VIEWS_CHECKED = 50


def say(message=""):
    print(message, flush=True)


def manage(database_url, *args, quiet=False):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=server_environment(database_url),
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def server_environment(database_url, redis_url=None):
    environment = {**os.environ, **PRODUCTION_LIKE, "DATABASE_URL": database_url}
    environment.pop("REDIS_URL", None)
    if redis_url:
        # One prefix per database, as for two sites sharing a Redis: the servers of the two
        # sizes must not answer from each other's remembered searches and lists.
        name = urlsplit(database_url).path.lstrip("/")
        environment |= {"REDIS_URL": redis_url, "CACHE_KEY_PREFIX": f"minilateral-bench-{name}"}
    return environment


def with_database_name(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def connect(url, name=None):
    import psycopg2

    parts = urlsplit(url)
    return psycopg2.connect(
        host=unquote(parts.hostname or "") or None,
        port=parts.port,
        user=unquote(parts.username or "") or None,
        password=unquote(parts.password or "") or None,
        dbname=name or parts.path.lstrip("/"),
        connect_timeout=5,
    )


def ensure_database(url):
    name = urlsplit(url).path.lstrip("/")
    connection = connect(url, "postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                say(f"Creating database {name}.")
                cursor.execute(f'CREATE DATABASE "{name}"')  # our own fixed names  # nosec B608
    finally:
        connection.close()


def scalar(url, query, parameters=()):
    connection = connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(query, parameters)
            return cursor.fetchone()[0]
    finally:
        connection.close()


def seeded_size(url):
    """How many lessons the database holds, and whether seed_scale built them."""
    from demo import scale

    lessons = scalar(url, "SELECT count(*) FROM lessons_lesson")
    officials = scalar(
        url, "SELECT count(*) FROM networks_user WHERE email = %s", [scale.benchmark_email(1)]
    )
    return lessons, bool(officials)


def recreate_database(url):
    """Drop and create the database again: seed_scale builds its world only on a fresh one.
    Without FORCE, so that a database someone is connected to (or seeding) is never dropped."""
    name = urlsplit(url).path.lstrip("/")
    connection = connect(url, "postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')  # our own fixed names  # nosec B608
            cursor.execute(f'CREATE DATABASE "{name}"')  # nosec B608
    finally:
        connection.close()


def seed_scale_exists():
    return (PROJECT / "demo" / "management" / "commands" / "seed_scale.py").exists()


def migrate(url):
    manage(url, "migrate", "--no-input", "--verbosity", "0")
    manage(url, "createcachetable")


def prepare_database(url, size, *, reseed):
    """Migrate; with a size, make sure seed_scale built that many lessons there (a fresh
    database seeded when it holds another number, or not seed_scale's world)."""
    name = urlsplit(url).path.lstrip("/")
    ensure_database(url)
    migrate(url)
    if size is None:
        if scalar(url, "SELECT count(*) FROM lessons_lesson") == 0:
            say("The database holds no lesson: loading the demo world (seed_demo --force).")
            manage(url, "seed_demo", "--force", quiet=True)
        return
    count, by_seed_scale = seeded_size(url)
    tolerance = max(size * SIZE_TOLERANCE, SIZE_TOLERANCE_LESSONS)
    if not reseed and by_seed_scale and abs(count - size) <= tolerance:
        return
    if not seed_scale_exists():
        sys.exit(
            f"{name} holds {count:,} lessons, not {size:,} from seed_scale, and this checkout "
            "has no `manage.py seed_scale` to seed it. Use --quick, or --current to measure "
            "this database as it is."
        )
    say(f"Seeding {size:,} lessons into a fresh {name} (it held {count:,}).")
    started = time.monotonic()
    import psycopg2

    try:
        recreate_database(url)
    except psycopg2.Error as error:  # someone is connected to it
        sys.exit(f"Could not recreate {name}: {error}".strip())
    migrate(url)
    manage(url, "seed_scale", "--lessons", str(size), "--force")
    say(f"Seeded in {time.monotonic() - started:.0f} s.")


def prepare_pages(url, queries):
    """bench/prepare.py in a process of its own against `url`: the pages, sessions and costs."""
    with tempfile.NamedTemporaryFile(suffix=".json") as output:
        subprocess.run(
            [sys.executable, "bench/prepare.py", output.name, "--queries", str(queries)],
            cwd=PROJECT,
            env={**server_environment(url), "DJANGO_SETTINGS_MODULE": "minilateral.settings"},
            check=True,
        )
        return json.loads(Path(output.name).read_text())


def forget_remembered(url):
    """Move every reader's generation on (lessons/remembered.py): nothing remembered before is
    answered again, as for a reader who asks for a page for the first time."""
    connection = connect(url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT lessons_space_moved(ARRAY['all'])")
    finally:
        connection.close()


class Writer:
    """bench/writer.py against one database, for the busy rounds: comments and edits across all
    networks at a steady rate, through the services, until stopped."""

    def __init__(self, url, *, rate, redis_url):
        self.process = subprocess.Popen(
            [sys.executable, "bench/writer.py", "--rate", str(rate), "--seconds", "86400"],
            cwd=PROJECT,
            env={
                **server_environment(url, redis_url),
                "DJANGO_SETTINGS_MODULE": "minilateral.settings",
            },
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline()
        if not line.startswith("BENCH-READY"):
            sys.exit(f"The writer did not start: {line!r}")
        self.started = time.monotonic()

    def stop(self):
        """{"writes": n, "failed": n, "seconds": s} of this run of the writer."""
        self.process.terminate()
        output, _ = self.process.communicate(timeout=60)
        seconds = time.monotonic() - self.started
        line = next((x for x in output.splitlines() if x.startswith("BENCH-WRITES ")), None)
        if line is None:
            return {"writes": 0, "failed": 0, "seconds": seconds}
        comments, edits, failed = (int(x) for x in line.split()[1:])
        return {"writes": comments + edits, "failed": failed, "seconds": seconds}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn as in production, on a free port of 127.0.0.1."""

    def __init__(self, url, *, workers, redis_url):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "minilateral.wsgi"),
                *("--workers", str(workers), "--bind", f"127.0.0.1:{self.port}"),
                *("--log-level", "warning", "--timeout", "120"),
            ],
            cwd=PROJECT,
            env=server_environment(url, redis_url),
        )

    def get(self, path, cookie):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def wait_until_up(self):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit("The app server stopped while starting.")
            try:
                if self.get("/healthz", "")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        sys.exit("The app server did not start within two minutes.")

    def check(self, pages):
        """Every URL answers 200 with its session (or none), and so does every session; of the
        first-view pages' thousands of URLs, a sample (wrk counts any other answer as a failure)."""
        checked = set()
        for page in pages:
            requests = page["requests"]
            if page.get("first_views"):
                requests = requests[:: max(1, len(requests) // FIRST_VIEWS_CHECKED)]
            for url, cookie in requests:
                key = url if url != "/hello/" else cookie
                if key in checked:
                    continue
                checked.add(key)
                status, _body = self.get(url, cookie)
                if status != 200:
                    sys.exit(
                        f"{page['label']}: {url} answered {status} "
                        f"({'signed in' if cookie else 'as a visitor'}), not 200: not measured."
                    )

    def drain(self, workers):
        """Wait until the requests wrk left queued are served: gunicorn's sync workers finish
        them after wrk has gone, which would slow the start of the next page's run. One probe
        per worker, all at once, answer only after what was queued before them."""
        threads = [threading.Thread(target=self.get, args=("/healthz", "")) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def run_wrk(port, requests_file, *, seconds, threads, connections):
    command = [
        *("wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "30s"),
        *("-s", str(LUA), f"http://127.0.0.1:{port}", "--", str(requests_file)),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next((x for x in output.splitlines() if x.startswith("BENCH-JSON ")), None)
    if line is None:
        sys.exit(f"wrk printed no result:\n{output}")
    raw = json.loads(line.removeprefix("BENCH-JSON "))
    if os.environ.get("BENCH_DEBUG"):
        say(output)
    seconds_taken = raw["duration_us"] / 1e6
    failures = raw["not_200"] + sum(raw[k] for k in ("connect", "read", "write", "timeout"))
    if raw["requests"] == 0:
        failures += 1  # not one answer in the whole run: as good as a failure
    return {
        "requests": raw["requests"],
        "rps": (raw["requests"] - raw["not_200"]) / seconds_taken if seconds_taken else 0.0,
        "p50": raw["p50_us"] / 1000,
        "p95": raw["p95_us"] / 1000,
        "failures": failures,
    }


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("Installing wrk from Debian (apt-get install -y wrk).")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
        if shutil.which("wrk"):
            return
    sys.exit("make bench needs wrk: sudo apt-get install wrk (Debian/Ubuntu), brew install wrk.")


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GiB"
    except (ValueError, OSError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}"


def commit():
    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=PROJECT, capture_output=True, text=True, check=False
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + (" (with uncommitted changes)" if git("status", "--porcelain") else "")


def redis_answers(url):
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1) as redis:
            redis.sendall(b"PING\r\n")
            return redis.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes",
        default="1000,100000",
        help="lesson counts, comma-separated, smallest first (default 1000,100000)",
    )
    parser.add_argument(
        "--database-prefix",
        default="minilateral_bench",
        help="the largest size's database; the others get _<size> after it",
    )
    parser.add_argument(
        "--current",
        action="store_true",
        help="measure this database (DATABASE_URL) as it is, at its own size; no seeding",
    )
    parser.add_argument("--reseed", action="store_true", help="seed again even at the right size")
    parser.add_argument("--seconds", type=float, help="per page, server and round (default 8)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds, for medians (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--queries", type=int, default=40, help="search queries, at least 40")
    parser.add_argument(
        "--redis",
        default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        help="the cache, as in production (the database cache when no Redis answers there)",
    )
    parser.add_argument(
        "--max-load",
        type=float,
        default=max(1.0, (os.cpu_count() or 2) * 0.5),
        help="refuse to start above this 1-minute load average",
    )
    parser.add_argument("--force", action="store_true", help="start however busy the machine is")
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: --current, 1 round of 3 s per page"
    )
    parser.add_argument("--no-write", action="store_true", help="print, do not write the doc")
    parser.add_argument(
        "--no-busy", action="store_true", help="skip the busy rounds (a writer beside the reads)"
    )
    parser.add_argument(
        "--write-rate", type=float, default=5.0, help="the busy rounds' writes a second"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.current = True
    args.rounds = args.rounds or (1 if args.quick else 3)
    args.seconds = args.seconds or (3 if args.quick else 8)
    args.queries = max(args.queries, 40)
    return args


def plan_sizes(args, base_url):
    """[(label, size or None, database URL)], smallest first."""
    if args.current:
        return [("this database", None, base_url)]
    sizes = sorted({int(size.replace("_", "")) for size in args.sizes.split(",") if size.strip()})
    plan = []
    for size in sizes:
        name = args.database_prefix if size == sizes[-1] else f"{args.database_prefix}_{size}"
        plan.append((f"{size:,} lessons", size, with_database_name(base_url, name)))
    return plan


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        sys.exit("DATABASE_URL is not set: run this through `make bench`.")
    load_before = os.getloadavg()[0]
    if load_before > args.max_load and not args.force:
        sys.exit(
            f"The machine is busy (1-minute load average {load_before:.2f}, above "
            f"{args.max_load:g}): the numbers would measure its other work. Wait, or use "
            "--force (make bench ARGS=--force) to measure anyway."
        )
    ensure_wrk()
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    redis_url = args.redis if redis_answers(args.redis) else None

    plan = plan_sizes(args, base_url)
    manage(plan[0][2], "collectstatic", "--no-input", "--verbosity", "0")
    sizes = []
    for label, size, url in plan:
        prepare_database(url, size, reseed=args.reseed)
        say(f"Preparing {label} ({urlsplit(url).path.lstrip('/')}): sessions, queries, bytes.")
        prepared = prepare_pages(url, args.queries)
        if size is None:
            label = f"{prepared['numbers']['lessons']:,} lessons"
        sizes.append(
            {
                "label": label,
                "database": urlsplit(url).path.lstrip("/"),
                "url": url,
                "source": prepared["source"],
                "numbers": prepared["numbers"],
                "queries": prepared["queries"],
                "pages": {page["name"]: page for page in prepared["pages"]},
                "first_time_search": prepared.get("first_time_search"),
                "postgres": prepared["postgres"],
                "officials": len(prepared["officials"]),
            }
        )

    workdir = Path(tempfile.mkdtemp(prefix="minilateral-bench-"))
    servers = []
    try:
        for size in sizes:
            server = Server(size["url"], workers=args.workers, redis_url=redis_url)
            servers.append(server)
            server.wait_until_up()
            server.check(size["pages"].values())
            for name, page in size["pages"].items():
                lines = "".join(f"{url}\t{cookie}\n" for url, cookie in page["requests"])
                page["file"] = workdir / f"{server.port}-{name}.tsv"
                page["file"].write_text(lines)
        say(
            f"\n{len(sizes)} server(s) up; {args.rounds} interleaved round(s) of "
            f"{args.seconds:g} s per page and server; load average {os.getloadavg()[0]:.2f}."
        )
        # Warm every worker: its caches, its connection, the database's buffers.
        for size, server in zip(sizes, servers, strict=True):
            for page in size["pages"].values():
                run_wrk(server.port, page["file"], seconds=1, threads=1, connections=4)
                server.drain(args.workers)
        loads = []
        phases = ("quiet",) if args.no_busy else ("quiet", "busy")
        rounds = {
            (index, name, phase): []
            for index, size in enumerate(sizes)
            for name in size["pages"]
            for phase in phases
        }
        for number in range(1, args.rounds + 1):
            for phase in phases:
                say(f"\nRound {number} of {args.rounds}, {phase}:")
                if phase == "busy":
                    writers = [
                        Writer(size["url"], rate=args.write_rate, redis_url=redis_url)
                        for size in sizes
                    ]
                for name in sizes[-1]["pages"]:
                    for index, (size, server) in enumerate(zip(sizes, servers, strict=True)):
                        if name not in size["pages"]:
                            continue
                        if size["pages"][name].get("first_views"):
                            forget_remembered(size["url"])
                        loads.append(os.getloadavg()[0])
                        result = run_wrk(
                            server.port,
                            size["pages"][name]["file"],
                            seconds=args.seconds,
                            threads=args.threads,
                            connections=args.connections,
                        )
                        rounds[(index, name, phase)].append(result)
                        server.drain(args.workers)
                        say(
                            f"  {size['label']:>16}  {size['pages'][name]['label']:44} "
                            f"{result['rps']:8.1f} req/s  p50 {result['p50']:7.1f} ms  "
                            f"p95 {result['p95']:7.1f} ms"
                            + (f"  ({result['failures']} not 200)" if result["failures"] else "")
                        )
                if phase == "busy":
                    for size, writer in zip(sizes, writers, strict=True):
                        size.setdefault("writes", []).append(writer.stop())
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    for index, size in enumerate(sizes):
        size["medians"] = {
            name: report.medians(rounds[(index, name, "quiet")]) for name in size["pages"]
        }
        if "busy" in phases:
            size["busy"] = {
                name: report.medians(rounds[(index, name, "busy")]) for name in size["pages"]
            }
    run = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit(),
        "machine": f"{machine()}; PostgreSQL {sizes[0]['postgres']}, Python "
        f"{platform.python_version()}",
        "workers": args.workers,
        "cache": "the cache in Redis" if redis_url else "the database cache (no Redis answered)",
        "wrk": wrk_version.split()[1] if wrk_version.split()[1:] else "",
        "threads": args.threads,
        "connections": args.connections,
        "officials": sizes[-1]["officials"],
        "rounds": args.rounds,
        "seconds": args.seconds,
        "write_rate": None if args.no_busy else args.write_rate,
        "load_before": load_before,
        "load_highest": max(loads, default=load_before),
        "sizes": sizes,
        "note": (
            "a smoke run (--quick): one short round on the current database."
            if args.quick
            else (
                f"started with --force at a load average of {load_before:.2f}."
                if load_before > args.max_load
                else ""
            )
        ),
    }
    run["goals"] = report.evaluate(sizes)
    text = report.section(run)
    say("\n" + text)
    if not args.no_write:
        DOCUMENT.parent.mkdir(exist_ok=True)
        before = DOCUMENT.read_text() if DOCUMENT.exists() else ""
        DOCUMENT.write_text(report.replace_results(before, text))
        say(f"Written to {DOCUMENT.relative_to(PROJECT)} (its Results section).")
    failures = sum(
        page["failures"]
        for size in sizes
        for measured in (size["medians"], size.get("busy", {}))
        for page in measured.values()
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
