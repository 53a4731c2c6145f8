"""How long sign-up and a failed sign-in take for an address with an account and for one
without: `make attack` (scripts/attack.py) prints both, measured against the running server.

The two must take about the same time, or the time tells who has an account: the app does the
same work on both paths (a password hash on each, one email for each sign-up), which
tests/accounts/test_enumeration_work.py checks; this shows what that costs on the wire.
Few requests, within the sign-up and sign-in rate limits of one address (ACCOUNT_RATE_LIMITS).
"""

import http.client
import re
import statistics
import time
import uuid
from urllib.parse import urlencode

from scripts import harness

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ROUNDS = 4  # per path: 16 requests, under 10 failed sign-ins and 20 sign-ups a minute
PASSWORD = "a quiet harbour at dawn, timed"  # noqa: S105  # nosec B105: for new accounts
WRONG = {"password": "not the password"}  # nosec B105: a failed sign-in, on purpose


def _timed_post(port, path, fields):
    """Milliseconds the POST took, with a fresh CSRF cookie and token from a GET first."""
    connection = http.client.HTTPConnection(harness.LOOPBACK, port, timeout=30)
    try:
        connection.request("GET", path)
        page = connection.getresponse()
        body = page.read().decode("utf-8", "replace")
        cookies = "; ".join(
            value.split(";", 1)[0] for name, value in page.getheaders() if name == "Set-Cookie"
        )
        found = TOKEN.search(body)
        data = urlencode({**fields, "csrfmiddlewaretoken": found.group(1) if found else ""})
        headers = {
            "Cookie": cookies,
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{harness.LOOPBACK}:{port}{path}",
        }
        started = time.perf_counter()
        connection.request("POST", path, body=data, headers=headers)
        connection.getresponse().read()
        return (time.perf_counter() - started) * 1000
    finally:
        connection.close()


def measure(port, *, existing, new_domain):
    """{path name: median ms} for sign-up and failed sign-in, existing address and new one."""
    signup = {"full_name": "Timing Probe", "password1": PASSWORD, "password2": PASSWORD}
    runs = {
        "sign-up, address with an account": lambda i: _timed_post(
            port, "/accounts/signup/", {**signup, "email": existing[i % len(existing)]}
        ),
        "sign-up, new address": lambda i: _timed_post(
            port,
            "/accounts/signup/",
            {**signup, "email": f"timing.{uuid.uuid4().hex[:8]}@{new_domain}"},
        ),
        "failed sign-in, address with an account": lambda i: _timed_post(
            port, "/accounts/login/", {"login": existing[i % len(existing)], **WRONG}
        ),
        "failed sign-in, unknown address": lambda i: _timed_post(
            port,
            "/accounts/login/",
            {"login": f"nobody.{uuid.uuid4().hex[:8]}@{new_domain}", **WRONG},
        ),
    }
    return {name: statistics.median(run(i) for i in range(ROUNDS)) for name, run in runs.items()}


def report(timings):
    """Lines for the summary, and a note when the two paths of one form differ by over half."""
    lines = [f"  {name}: {ms:.0f} ms (median of {ROUNDS})" for name, ms in timings.items()]
    names = list(timings)
    for known, unknown in ((names[0], names[1]), (names[2], names[3])):
        slower, faster = (
            max(timings[known], timings[unknown]),
            min(timings[known], timings[unknown]),
        )
        if faster and slower / faster > 1.5:
            lines.append(f"  note: {known} and {unknown} differ by more than half")
    return lines
