"""`make attack`: well-known external scanners against the app, signed in, on the demo cast.

Runs inside scripts/database.py (which sets DATABASE_URL). It makes a scratch database beside
that one (`<name>_attack`, dropped at the end), loads the demo cast into it and starts the app as
in production (gunicorn, DEBUG off, 2 workers) on a free port of 127.0.0.1. Then, at once:

- sqlmap (Debian's package; batch mode, PostgreSQL payloads, level 1 / risk 1, every technique)
  on every parameter of the search page (`/search/?q=` and its facet filters) and of a network's
  lesson list filters (`/networks/<slug>/lessons/?...`), signed in with a session cookie;
- wapiti (Debian's package) crawling signed in from the home page, scope the local origin only,
  depth 3, 60 s of crawl and 30 s per module, sign-out and the account's destructive pages
  excluded, with the modules that fit a Django app (WAPITI_MODULES).

Reports go to reports/attack/ (git-ignored): sqlmap's output folder and console log per target,
wapiti's JSON report and console log. Any SQL injection sqlmap finds, or any wapiti finding of
medium severity or worse, is printed and makes the exit status 1. About 10 minutes at most.

    python scripts/database.py -- python scripts/attack.py [--keep-database]
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess  # nosec B404
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import harness

REPORTS = harness.PROJECT / "reports" / "attack"
OFFICIAL = "minjun.kim@korea.kr"  # a member of Digital Nations and of its working group
WAPITI_CRAWL_SECONDS = 60
WAPITI_MODULE_SECONDS = 30
HARD_LIMIT_SECONDS = 600
WAPITI_WRAP_UP = 45  # seconds before the limit when wapiti is asked to finish
# A scanner that submits these would sign itself out, end its session or close its account.
WAPITI_EXCLUDED = [
    "/accounts/logout/*",
    "/accounts/close/*",
    "/accounts/sessions/*",
    "/accounts/password/*",
    "/accounts/email/*",
    "/accounts/2fa/*",
    "/accounts/reauthenticate/*",
    "/accounts/my-data/*",
    "/networks/*/leave/*",
    "/admin/*",
]
# What can go wrong in a Django app: injection (SQL, blind SQL), cross-site scripting (reflected
# and stored), path traversal (file downloads), open redirects (?next=), header injection,
# CSRF, and the security headers, cookie flags and CSP. Left out: exec (shell and code
# injection payloads for PHP/CGI scripts; the app runs no shell) and the brute-force modules.
WAPITI_MODULES = [
    "sql",
    "blindsql",
    "xss",
    "permanentxss",
    "file",
    "redirect",
    "crlf",
    "csrf",
    "http_headers",
    "cookieflags",
    "csp",
]
WAPITI_LEVELS = {"0": "info", "1": "low", "2": "medium", "3": "high", "4": "critical"}
MEDIUM = 2
# Low findings explained (they would not fail the run anyway): (category, info's start) -> why.
JUSTIFIED = {
    ("HTTP Secure Headers", "Strict-Transport-Security"): "on in production "
    "(SECURE_HSTS_SECONDS, a year); this scan is plain HTTP on loopback",
    ("Secure Flag cookie", "Secure flag is not set"): "on in production (SECURE_COOKIES, with "
    "the __Host- prefix); over plain HTTP a Secure cookie would never come back",
    ("HTTP Secure Headers", "X-XSS-Protection"): "deliberately absent: browsers dropped the "
    "filter it controls, and the app's CSP (nonces, no inline script) is the protection",
}
# Debian 12's wapiti 3.0.4, with two things mended before it runs:
# - it compiles every -x pattern to a regular expression ending in "(?ms)", which Python 3.11
#   refuses ("global flags not at the start"): flags first, so that exclusions work;
# - its CSRF module knows tokens only by a list of names that lacks Django's
#   "csrfmiddlewaretoken", so it reports "Lack of anti CSRF token" on every form of every Django
#   site (later wapiti versions know the name): with the name added, the module does its real
#   check, that a form sent with a wrong token is refused;
# - it loads its technology-fingerprint module (not used here) whatever -m says, which downloads
#   its database from GitHub when there is none: no traffic leaves loopback, so it does not.
WAPITI_SHIM = """
import re, sys
from wapitiCore.net import crawler
def wildcard_translate(pattern):
    return re.compile("(?ms)" + ".*".join(re.escape(part) for part in pattern.split("*")) + r"\\Z")
crawler.wildcard_translate = wildcard_translate
from wapitiCore.attack import mod_csrf
mod_csrf.mod_csrf.TOKEN_FORM_STRINGS.append("csrfmiddlewaretoken")
from wapitiCore.attack import mod_wapp
mod_wapp.mod_wapp.update = lambda self: None
from wapitiCore.main.wapiti import wapiti_main
sys.argv[0] = "wapiti"
sys.exit(wapiti_main())
"""
SQLMAP_FOUND = ("identified the following injection point", "is vulnerable")


def say(message):
    harness.say("attack", message)


def ensure_tools():
    missing = [tool for tool in ("sqlmap", "wapiti") if shutil.which(tool) is None]
    if not missing:
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say(f"installing {' '.join(missing)} from Debian")
        subprocess.run(["apt-get", "install", "-y", *missing], check=False)  # nosec B603 B607
        missing = [tool for tool in missing if shutil.which(tool) is None]
    if missing:
        print(
            f"Missing: {', '.join(missing)}. Install them from Debian, as root:\n"
            f"  apt-get install -y {' '.join(missing)}",
            file=sys.stderr,
        )
        return False
    return True


def demo_values():
    """Real values for every filter, so that sqlmap compares against meaningful pages."""
    from lessons.models import Lesson, PolicyArea, Tag, TechnologyArea
    from networks.models import Network, User, WorkingGroup

    official = User.objects.get(email=OFFICIAL)
    network = Network.objects.get(slug="digital-nations")
    group = WorkingGroup.objects.filter(network=network).order_by("pk").first()
    lesson = Lesson.objects.filter(network=network, year__isnull=False).order_by("pk").first()
    return official, {
        "network": network.slug,
        "group": group,
        "technology": TechnologyArea.objects.order_by("pk").first().slug,
        "policy": PolicyArea.objects.order_by("pk").first().slug,
        "stage": lesson.stage,
        "outcome": lesson.outcome or "mixed",
        "year": str(lesson.year),
        "tag": Tag.objects.order_by("pk").first().name,
        "country": lesson.author_country.code,
    }


def sqlmap_targets(values):
    search = {
        "q": "identity",
        "network": values["network"],
        "group": str(values["group"].pk),
        "technology": values["technology"],
        "policy": values["policy"],
        "stage": values["stage"],
        "outcome": values["outcome"],
        "year": values["year"],
        "tag": values["tag"],
        "country": values["country"],
        "sort": "newest",
        "page": "1",
    }
    lesson_list = {
        "group": values["group"].slug,
        "technology": values["technology"],
        "stage": values["stage"],
        "outcome": values["outcome"],
        "year": values["year"],
        "tag": values["tag"],
        "sort": "newest",
        "page": "1",
    }
    return {
        "search": f"/search/?{urlencode(search)}",
        "lesson-list": f"/networks/{values['network']}/lessons/?{urlencode(lesson_list)}",
    }


def start_sqlmap(name, url, cookie):
    folder = REPORTS / f"sqlmap-{name}"
    folder.mkdir(parents=True)
    log = (REPORTS / f"sqlmap-{name}.log").open("w")
    parameters = url.partition("?")[2]
    names = ",".join(pair.partition("=")[0] for pair in parameters.split("&"))
    command = [
        "sqlmap",
        "-u",
        url,
        "--cookie",
        cookie,
        "-p",
        names,
        "--batch",
        "--dbms=PostgreSQL",
        "--level=1",
        "--risk=1",
        "--technique=BEUST",
        "--time-sec=3",
        "--timeout=15",
        "--retries=1",
        "--flush-session",
        "--disable-coloring",
        # Every page carries a fresh CSP nonce and CSRF token: compare the text, not the markup.
        "--text-only",
        "--output-dir",
        str(folder),
    ]
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT), log  # nosec B603


def start_wapiti(origin, cookie_value, cookie_name):
    cookies = REPORTS / "wapiti-cookies.json"
    cookies.write_text(
        json.dumps(
            {
                harness.LOOPBACK: {
                    "/": {
                        cookie_name: {
                            "value": cookie_value,
                            "expires": None,
                            "secure": False,
                            "port": None,
                            "version": 0,
                        }
                    }
                }
            }
        )
    )
    log = (REPORTS / "wapiti.log").open("w")
    command = [
        "/usr/bin/python3",
        "-c",
        WAPITI_SHIM,
        "-u",
        f"{origin}/",
        "--scope",
        "folder",
        "-s",
        f"{origin}/networks/",
        "-s",
        f"{origin}/search/?q=identity",
        "-c",
        str(cookies),
        "-m",
        ",".join(WAPITI_MODULES),
        "-d",
        "3",
        "--max-links-per-page",
        "40",
        "--max-files-per-dir",
        "25",
        "--max-scan-time",
        str(WAPITI_CRAWL_SECONDS),
        "--max-attack-time",
        str(WAPITI_MODULE_SECONDS),
        "-t",
        "15",
        "--flush-session",
        "--store-session",
        str(REPORTS / "wapiti-session"),
        "--no-bugreport",
        "-v",
        "1",
        "-f",
        "json",
        "-o",
        str(REPORTS / "wapiti.json"),
    ]
    for pattern in WAPITI_EXCLUDED:
        command += ["-x", f"{origin}{pattern}"]
    process = subprocess.Popen(  # nosec B603
        command, stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT
    )
    return process, log


def sqlmap_findings(name):
    """Injection points sqlmap reported for a target, from its console log and session log."""
    findings = []
    console = (REPORTS / f"sqlmap-{name}.log").read_text(errors="replace")
    for line in console.splitlines():
        if any(marker in line for marker in SQLMAP_FOUND):
            findings.append(line.strip())
    for log in (REPORTS / f"sqlmap-{name}").glob("*/log"):
        if log.read_text(errors="replace").strip():
            findings.append(f"injection points recorded in {log.relative_to(harness.PROJECT)}")
    return findings, console


def wapiti_findings():
    """(serious, minor) findings from wapiti's JSON report: medium or worse, and the rest."""
    report = json.loads((REPORTS / "wapiti.json").read_text())
    serious, minor = [], []
    for section in ("vulnerabilities", "anomalies"):
        for category, items in (report.get(section) or {}).items():
            for item in items:
                level = int(item.get("level") or 0)
                line = (
                    f"{WAPITI_LEVELS.get(str(level), level)}: {category}: {item.get('method')} "
                    f"{item.get('path')} {item.get('parameter') or ''} {item.get('info', '')[:160]}"
                )
                reason = next(
                    (
                        why
                        for (name, start), why in JUSTIFIED.items()
                        if name == category and (item.get("info") or "").startswith(start)
                    ),
                    None,
                )
                if reason:
                    minor.append(f"{line} (justified: {reason})")
                elif level >= MEDIUM or (section, category[:8]) == ("anomalies", "Internal"):
                    serious.append(line)
                else:
                    minor.append(line)
    log = (REPORTS / "wapiti.log").read_text(errors="replace")
    found = re.search(r"Wapiti found (\d+) URLs and forms", log)
    launched = set(re.findall(r"\[\*\] Launching module (\w+)", log))
    crawled = int(found.group(1)) if found else 0
    return serious, minor, crawled, [m for m in WAPITI_MODULES if m not in launched]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep-database", action="store_true", help="keep <name>_attack")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Run through scripts/database.py (make attack), which sets DATABASE_URL.")
    if not ensure_tools():
        return 1
    started = time.monotonic()
    base_url = os.environ["DATABASE_URL"]
    scratch = harness.database_url_with_name(base_url, harness.database_name(base_url) + "_attack")
    env = {
        **os.environ,
        **harness.PRODUCTION_LIKE,
        "DATABASE_URL": scratch,
        # The scanner posts many forms: let it reach the code behind the per-official limits.
        "RATE_LIMIT_LESSONS": "100000/h",
        "RATE_LIMIT_COMMENTS": "100000/h",
        "RATE_LIMIT_FLAGS": "100000/h",
        "RATE_LIMIT_INVITATIONS": "100000/h",
        "RATE_LIMIT_EXPORTS": "100000/h",
    }
    os.environ.update(env)
    shutil.rmtree(REPORTS, ignore_errors=True)
    REPORTS.mkdir(parents=True)
    say(f"scratch database {harness.database_name(scratch)}: migrating, loading the demo cast")
    harness.recreate_database(scratch)
    server = None
    logs = []
    try:
        harness.manage("migrate", "--no-input", "--verbosity", "0", env=env)
        harness.manage("createcachetable", env=env)
        harness.manage("seed_demo", "--force", env=env, quiet=True)
        harness.manage("collectstatic", "--no-input", "--verbosity", "0", env=env)
        import django

        django.setup()
        from django.conf import settings
        from django.db import connection

        official, values = demo_values()
        sqlmap_session = harness.make_session(official)
        wapiti_session = harness.make_session(official)
        connection.close()
        cookie_name = settings.SESSION_COOKIE_NAME

        port = harness.free_port()
        origin = f"http://{harness.LOOPBACK}:{port}"
        server_log = (REPORTS / "server.log").open("w")
        logs.append(server_log)
        server = harness.start_gunicorn(port, env, log=server_log)
        cookie = f"{cookie_name}={sqlmap_session}"
        if harness.wait_until_up(port, "/networks/", server=server, cookie=cookie) is None:
            print("The app did not start: see reports/attack/server.log", file=sys.stderr)
            return 1
        targets = sqlmap_targets(values)
        say(f"app at {origin}, signed in as {OFFICIAL}; sqlmap on {', '.join(targets)}, wapiti")
        scanners = {}
        for name, path in targets.items():
            scanners[f"sqlmap {name}"] = start_sqlmap(name, origin + path, cookie)
        scanners["wapiti"] = start_wapiti(origin, wapiti_session, cookie_name)
        logs += [log for _, log in scanners.values()]
        deadline = time.monotonic() + HARD_LIMIT_SECONDS
        timed_out = []
        for name, (process, _) in scanners.items():
            try:
                if name == "wapiti":
                    try:
                        process.wait(timeout=max(deadline - WAPITI_WRAP_UP - time.monotonic(), 1))
                    except subprocess.TimeoutExpired:
                        # Ctrl-C, then "r": wapiti stops its attack and writes its report.
                        say("wapiti is out of time: asking it to stop and write its report")
                        process.send_signal(signal.SIGINT)
                        process.stdin.write(b"r\n")
                        process.stdin.flush()
                process.wait(timeout=max(deadline - time.monotonic(), 1))
            except subprocess.TimeoutExpired:
                timed_out.append(name)
                process.kill()
                process.wait()
        say(f"scanners done in {time.monotonic() - started:.0f} s")

        failures = []
        print("\nmake attack: summary (reports in reports/attack/)")
        for name in targets:
            findings, console = sqlmap_findings(name)
            tested = console.count("testing '")
            print(f"  sqlmap {name}: {tested} tests, {len(findings)} findings")
            if f"sqlmap {name}" in timed_out:
                failures.append(f"sqlmap {name} did not finish in time")
            finished = "all tested parameters do not appear to be injectable" in console
            if not finished and not findings:
                failures.append(f"sqlmap {name} did not finish its tests: see its log")
            for finding in findings:
                failures.append(f"sqlmap {name}: {finding}")
            status, _ = harness.get(port, "/networks/", cookie=cookie)
            if status != 200:
                failures.append(f"sqlmap's session no longer works ({status}): the scan was blind")
        if (REPORTS / "wapiti.json").exists():
            serious, minor, crawled, not_run = wapiti_findings()
            print(
                f"  wapiti: {crawled} URLs and forms crawled, {len(serious)} findings medium or "
                f"worse, {len(minor)} low or informational"
            )
            if not_run:
                print(f"    not run (out of time): {', '.join(not_run)}")
            for line in minor:
                print(f"    {line}")
            failures += [f"wapiti: {line}" for line in serious]
            if crawled < 10:
                failures.append(f"wapiti crawled only {crawled} URLs: was it signed in?")
        else:
            failures.append("wapiti wrote no report: see reports/attack/wapiti.log")
        if "wapiti" in timed_out:
            failures.append("wapiti did not finish in time")
        # 403s and 404s are logged too (with the PermissionDenied traceback): only 500s count.
        server_log = (REPORTS / "server.log").read_text(errors="replace")
        server_errors = server_log.count("Internal Server Error:")
        print(f"  server: {server_errors} internal server errors (reports/attack/server.log)")
        if server_errors:
            failures.append(f"the server answered 500 {server_errors} times: see server.log")
        print(f"  total time: {time.monotonic() - started:.0f} s")
        if failures:
            print("\nFAILED:")
            for failure in failures:
                print(f"  - {failure}")
            return 1
        print("\nClean: no injectable parameter, no finding of medium severity or worse.")
        return 0
    finally:
        harness.stop(server)
        for log in logs:
            log.close()
        if not args.keep_database:
            harness.drop_database(scratch)


if __name__ == "__main__":
    sys.exit(main())
