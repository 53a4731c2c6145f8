"""Every promise of an email or a digest that a page makes is kept: a test reads the templates
and the translated messages of the code for such promises, and each must be in PROMISES, which
names the function that keeps it and the entry point (a scheduled task or the service the page
calls) that must reach it. A new promise without a sender fails here.

Reaching is read from the source (a call graph by function name, which can only err towards
finding a path): the entry point calls, directly or not, the sender, and the sender queues an
email (through minilateral.mail.send_templated_email or notifications.services._email, which
enqueue the `deliver_email` task). The digest's own chain is checked too: the task that sends
digests schedules its next run."""

import ast
import importlib
import re
from collections import defaultdict
from pathlib import Path

import pytest

from tests.layers import LAYERS

ROOT = Path(__file__).resolve().parent.parent
APPS = [package for layer in LAYERS for package in layer if package != "demo"]

# What reads as a promise of an email or a digest.
PROMISE = re.compile(
    r"digests? (?:will|are sent)|your digest|we will email|you will be notified|\bnotify\b|"
    r"\bnotified\b|by email|get email|tell you of new",
    re.IGNORECASE,
)

DIGESTS = "notifications.digests.send_digests"
SAVED_SEARCH_ALERTS = "search.services.saved_search_alerts_take"
NETWORK_EMAIL = "networks.services.common._notify"

# (file, words of the promise) -> [(entry point, sender)]
PROMISES = {
    ("templates/search/search.html", "Your digest will tell you of new lessons"): [
        (DIGESTS, SAVED_SEARCH_ALERTS)
    ],
    ("templates/search/saved_searches.html", "let your digest tell you of new lessons"): [
        (DIGESTS, SAVED_SEARCH_ALERTS)
    ],
    ("search/views.py", "Your digest will tell you of new matches"): [
        (DIGESTS, SAVED_SEARCH_ALERTS)
    ],
    ("templates/notifications/notification_settings.html", "when you also get email"): [
        ("notifications.services.deliver_notification_email", "notifications.services._email"),
        (DIGESTS, "notifications.digests.deliver_digest"),
    ],
    ("templates/notifications/notification_settings.html", "Digests are sent at 07:00 UTC"): [
        (DIGESTS, "notifications.digests.deliver_digests")
    ],
    ("templates/networks/join.html", "you will hear by email"): [
        ("networks.services.join_requests.join_request_approve", NETWORK_EMAIL),
        ("networks.services.join_requests.join_request_decline", NETWORK_EMAIL),
    ],
    ("templates/networks/manage/members.html", "The member is told by email"): [
        ("networks.services.memberships.membership_change_role", NETWORK_EMAIL),
        ("networks.services.memberships.membership_suspend", NETWORK_EMAIL),
        ("networks.services.memberships.membership_reinstate", NETWORK_EMAIL),
        ("networks.services.memberships.membership_remove", NETWORK_EMAIL),
    ],
    ("templates/networks/manage/country_remove.html", "is told by email"): [
        ("networks.services.countries.network_country_remove", NETWORK_EMAIL)
    ],
    ("templates/networks/manage/country_remove.html", "are told by email"): [
        ("networks.services.countries.network_country_remove", NETWORK_EMAIL)
    ],
    ("networks/views.py", "You will hear by email"): [
        ("networks.services.join_requests.join_request_approve", NETWORK_EMAIL),
        ("networks.services.join_requests.join_request_decline", NETWORK_EMAIL),
    ],
    ("templates/account/signup_refused.html", "The invitation comes by email"): [
        (
            "networks.services.invitations.membership_invite",
            "networks.services.invitations._send_invitation_email",
        )
    ],
}
# Where an email is queued, and the task each one enqueues to send it.
EMAIL_TASKS = {
    "minilateral.mail.send_templated_email": "deliver_email",
    "notifications.sending.write_email": "deliver_email_once",
}
EMAIL_QUEUES = tuple(EMAIL_TASKS)
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext", "pgettext_lazy", "ngettext_lazy"}


def _python_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def found_promises():
    """(file, sentence) of every promise in the templates and in the code's translated texts."""
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        if "emails" in path.parts:  # the emails themselves keep the promises
            continue
        for line in path.read_text().splitlines():
            if PROMISE.search(line):
                found.append((str(path.relative_to(ROOT)), line.strip()))
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in GETTEXT:
                for arg in node.args:
                    text = arg.value if isinstance(arg, ast.Constant) else None
                    if isinstance(text, str) and PROMISE.search(text):
                        found.append((str(path.relative_to(ROOT)), arg.value))
    return found


def call_graph():
    """{"module.function": {names it calls}}, and {name: {"module.function", ...}}."""
    calls, by_name = {}, defaultdict(set)
    for path in _python_files():
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef):
                qualified = f"{module}.{node.name}"
                by_name[node.name].add(qualified)
                names = calls.setdefault(qualified, set())
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Call):
                        func = inner.func
                        names.add(getattr(func, "id", None) or getattr(func, "attr", None))
                    elif isinstance(inner, ast.Attribute):
                        names.add(inner.attr)  # a function passed on, as on_commit(callback)
                    elif isinstance(inner, ast.Name):
                        names.add(inner.id)
    return calls, by_name


def reaches(start, goal, graph):
    calls, by_name = graph
    seen, todo = set(), [start]
    while todo:
        current = todo.pop()
        if current == goal:
            return True
        if current in seen:
            continue
        seen.add(current)
        for name in calls.get(current, ()):
            todo.extend(by_name.get(name, ()))
    return False


@pytest.fixture(scope="module")
def graph():
    return call_graph()


def test_every_promise_of_an_email_or_a_digest_has_a_sender_in_the_registry():
    found = found_promises()
    assert len(found) >= len(PROMISES), "the reader no longer finds the known promises"
    unkept = [
        (path, text)
        for path, text in found
        if not any(path == file and words in text for file, words in PROMISES)
    ]
    assert unkept == [], "promises with no sender in PROMISES"
    stale = [key for key in PROMISES if not any(key[0] == p and key[1] in t for p, t in found)]
    assert stale == [], "registry entries whose promise is gone"


@pytest.mark.parametrize(
    ("promise", "entry", "sender"),
    [(words, entry, sender) for (_, words), pairs in PROMISES.items() for entry, sender in pairs],
)
def test_each_sender_exists_is_reached_from_its_entry_point_and_queues_email(
    graph, promise, entry, sender
):
    for dotted in (entry, sender):
        module, _, name = dotted.rpartition(".")
        found = getattr(importlib.import_module(module), name, None)
        assert callable(getattr(found, "func", found)), dotted  # a task wraps its function
    assert reaches(entry, sender, graph), f"{entry} never calls {sender} ({promise})"
    queued = [q for q in EMAIL_QUEUES if reaches(sender, q, graph) or reaches(entry, q, graph)]
    assert queued, f"nothing from {entry} queues an email ({promise})"


def test_the_email_queues_enqueue_the_mail_task_and_the_digests_run_on_schedule(graph):
    calls, _ = graph
    for queue, sending_task in EMAIL_TASKS.items():
        assert {"enqueue", sending_task} <= calls[queue], queue
    # The digest task schedules its next run, and the scheduler enqueues the digest task.
    assert reaches(DIGESTS, "notifications.digests.schedule_digest", graph)
    assert {"send_digests", "enqueue"} <= calls["notifications.digests.schedule_digest"]
