"""`make attack`: well-known external scanners against the app, signed in, on the demo cast.

Runs inside scripts/database.py (which sets DATABASE_URL). It makes a scratch database beside
that one (`<name>_attack`, dropped at the end), loads the demo cast into it and starts the app as
in production (gunicorn, DEBUG off, 2 workers) on a free port of 127.0.0.1. Then:

- wapiti (Debian's package) crawling signed in (a session cookie) from the home page, the
  networks, Min-jun's own lessons, a search and the two pages sqlmap tests; scope the local
  origin only, depth 3, at most 60 s of crawl (it needs 15 to 30); sign-out, the account's
  destructive pages, the admin, withdrawing a lesson, deleting a comment and searches that tick
  two values of one facet excluded (wapiti_excluded); each parameter of the pages of one shape
  is attacked once (new_parameters: lesson 7's comment form is lesson 1's); then the modules
  that fit a Django app (WAPITI_MODULES), each stopped by its own time limit
  (WAPITI_MODULE_SECONDS). Debian 12's wapiti 3.0.4 is mended first (WAPITI_SHIM);
- once wapiti's crawl is over, beside its modules: sqlmap (Debian's package; batch mode,
  PostgreSQL payloads, level 1 / risk 1, every technique) on every parameter of the search page
  (`/search/?q=` and its facet filters) and of a network's lesson list filters
  (`/networks/<slug>/lessons/?...`), signed in with another session.

Reports go to reports/attack/ (git-ignored): sqlmap's output folder and console log per target,
wapiti's JSON report and console log, the app's server.log. Any SQL injection sqlmap finds, any
wapiti finding of medium severity or worse, any wapiti module that did not run and any 500 from
the app is printed and makes the exit status 1.

How long, on 2 cores: about 45 s to build the scratch world, then wapiti, which ends by its own
limits: a minute of crawl and 8 minutes of modules at most (the quick ones end long before
theirs; sqlmap's one or two minutes run meanwhile), 5 to 8 minutes in all. Should wapiti overrun
them anyway, it is stopped at wapiti_limit_seconds() (10 min 10 s), its report is written from
its session by a second, report-only run (about 2 s), and the run fails saying so: at most 12
minutes whatever happens.

    python scripts/database.py -- python scripts/attack.py [--keep-database]
"""

import argparse
import inspect
import json
import os
import re
import shutil
import subprocess  # nosec B404
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import enumeration_timing, harness

REPORTS = harness.PROJECT / "reports" / "attack"
OFFICIAL = "minjun.kim@korea.kr"  # a member of Digital Nations and of its working group
# --max-scan-time: the crawl of the demo cast takes 15 to 30 s, 45 or more on a busy machine
WAPITI_CRAWL_SECONDS = 60
WAPITI_TIMEOUT = 15  # seconds a request may take (blindsql's sleep payloads wait one more)
WAPITI_REPORT_SECONDS = 30  # for the report-only run, when wapiti had to be stopped (takes 2)
WAPITI_SLACK_SECONDS = 60  # start-up, the request in flight when a limit passes, the report
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
    # These would withdraw the lesson, or delete the comment, whose other forms (edit, audience,
    # attachments; edit, reply) the crawl is about to find and the modules to attack: after
    # them, those answer 403 or 404 to everything. Their only parameter is the CSRF token, which
    # Django checks for every view but the one marked csrf_exempt (the unsubscribe link).
    "/lessons/*/withdraw/*",
    "/lessons/*/comments/*/delete/*",
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
# Each module's time limit (--max-attack-time, made exact and per module, see WAPITI_SHIM), in
# wapiti's order; 8 minutes in all, for an upper bound of 12 on the run (see the top). Most
# send a request or two a parameter, or a page, and end in seconds. On the demo cast's 23 pages
# and forms with parameters, xss (a probe each, then some 50 payloads where it is echoed, and the
# forms echo every field) needs 2.5 minutes here, more on a busy machine; file (65 payloads a
# parameter) and blindsql (62) would need several minutes each: they stop at their limit, where
# they are, having tried the forms first (forms_first in WAPITI_SHIM). Those that stopped are
# printed: what they did not reach is untested by them.
WAPITI_MODULE_SECONDS = {
    "crlf": 10,
    "csp": 5,
    "http_headers": 5,
    "csrf": 15,
    "cookieflags": 5,
    "file": 70,
    "sql": 20,
    "xss": 240,
    "redirect": 10,
    "blindsql": 70,
    "permanentxss": 40,
}
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
# A false positive of wapiti's csrf module, excluded only where the server's log refutes it.
# The module sends a form twice, with its token and with a wrong one, and reports "not properly
# checked" when both answers are the same. But the crawl has already sent the form once, and a
# form that has done its work is refused the second time by the app itself, with a 403 (restore
# a lesson that is no longer withdrawn: "may see, may not act"), whose page was the very page of
# Django's CSRF refusal until that got its own ("the page had expired", 403_csrf.html): two
# identical 403s. Kept for any form whose refusal still looks alike (wapiti compares the text).
# The finding is false when the log shows that Django's CSRF check refused the wrong
# token on that path ("Forbidden (CSRF token ...): <path>", from django.security.csrf): only
# the csrf module sends wrong tokens (the others skip the token), so that is its request.
CSRF_NOT_CHECKED = ("Cross Site Request Forgery", "CSRF token 'csrfmiddlewaretoken' is not")


def wildcard_translate(pattern):
    """An -x pattern as a regular expression: * is anything. Runs inside wapiti (WAPITI_SHIM)."""
    return re.compile("(?ms)" + ".*".join(re.escape(part) for part in pattern.split("*")) + r"\Z")


def new_parameters(method, path, names, seen):
    """Which of a crawled page's parameters no page of the same shape had: (method, path with its
    numbers as #, name). Lesson 1's comment form and lesson 7's are one shape, run by the same
    code; so are `/search/?q=a` and `/search/?q=b`. Runs inside wapiti too (WAPITI_SHIM)."""
    shape = "/".join("#" if part.isdigit() else part for part in path.split("/"))
    return {(method, shape, name) for name in names} - seen


# Debian 12's wapiti 3.0.4, with these mended before it runs:
# - it compiles every -x pattern to a regular expression ending in "(?ms)", which Python 3.11
#   refuses ("global flags not at the start"): flags first, so that exclusions work;
# - its CSRF module knows tokens only by a list of names that lacks Django's
#   "csrfmiddlewaretoken", so it reports "Lack of anti CSRF token" on every form of every Django
#   site (later wapiti versions know the name): with the name added, the module does its real
#   check, that a form sent with a wrong token is refused;
# - it loads its technology-fingerprint module (not used here) whatever -m says, which downloads
#   its database from GitHub when there is none: no traffic leaves loopback, so it does not;
# - why it overran: its crawler turns streaming on (a body is read only when asked for) and off
#   again only when the crawl runs out of pages, not when --max-scan-time stops it. A streamed
#   response whose body nobody reads keeps its connection open (wapiti caches its last pages,
#   lru_cache, so they live on), and gunicorn lingers up to 2 s on such a connection before it
#   closes it (close_graceful): every other request of the attack took 2 s instead of 20-100 ms.
#   Responses are read whole here (the app's pages are small);
# - it sends a multipart form's plain fields as files (each with a file name), so that Django
#   finds no CSRF token in request.POST and refuses every upload form, right token or not:
#   plain fields are sent as fields;
# - --max-attack-time is checked only between the pages a module attacks, and one page can
#   take minutes (blindsql sends 218 payloads to each parameter): the limit is also checked
#   before each payload, so that a module stops within one request of it; and each module has
#   its own limit (WAPITI_MODULE_SECONDS, passed as the first argument).
# Interrupting wapiti is no way out: after Ctrl-C its "r" answer (stop and write the report) is
# taken for "n" (it tests for "1"), and the scan goes on with the next module. When wapiti has
# to be stopped, its report is written from its session by a second run (wapiti_report_command).
# And what is narrowed or reordered, in wapiti's own terms:
# - xss, file and blindsql try the forms before the links (wapiti: links first). The links with
#   parameters are mostly the search's and the lesson list's filters, which sqlmap tests, and
#   stored XSS (the worst a discussion site can have) starts in a form: what a module's limit
#   cuts short is then the filters;
# - blindsql's payloads are those for PostgreSQL (62 of its 218): a time-based payload works only
#   when the database runs its sleep function, and MySQL's sleep() or SQL Server's waitfor
#   cannot run on PostgreSQL (sqlmap is told --dbms=PostgreSQL for the same reason);
# - of the pages of one shape, only those with a parameter not seen yet are kept for the attack,
#   and only their new parameters are attacked (new_parameters; `/lessons/new/?network=x&group=y`
#   brings `group`, its form's 25 fields were attacked on `/lessons/new/?network=x`): the crawl
#   still visits them all and follows their links.
WAPITI_SHIM = (
    """
import json, math, re, sys, time
from urllib.parse import unquote
import requests
from itertools import chain
from wapitiCore.attack import mod_blindsql, mod_csrf, mod_file, mod_wapp, mod_xss
from wapitiCore.attack.attack import Attack, Mutator
from wapitiCore.main import wapiti
from wapitiCore.net import crawler
from wapitiCore.net.sqlite_persister import SqlitePersister
module_seconds = json.loads(sys.argv.pop(1))
"""
    + inspect.getsource(wildcard_translate)
    + inspect.getsource(new_parameters)
    + """
crawler.wildcard_translate = wildcard_translate
mod_csrf.mod_csrf.TOKEN_FORM_STRINGS.append("csrfmiddlewaretoken")
mod_wapp.mod_wapp.update = lambda self: None
class WholeResponses(requests.Session):
    stream = property(lambda self: False, lambda self, value: None)
    def request(self, method, url, *args, **kwargs):
        if kwargs.get("files"):
            kwargs["files"] = [
                (name, (None, value) if isinstance(value, str) else value)
                for name, value in kwargs["files"]
            ]
        return super().request(method, url, *args, **kwargs)
crawler_init = crawler.Crawler.__init__
def init_crawler(self, *args, **kwargs):
    crawler_init(self, *args, **kwargs)
    self._session.__class__ = WholeResponses
crawler.Crawler.__init__ = init_crawler
module_deadline = [math.inf]
def bounded(scan, module):
    attack = module.attack
    def attack_until_deadline():
        seconds = module_seconds.get(module.name, scan._max_attack_time)
        scan._max_attack_time = seconds
        module_deadline[0] = time.monotonic() + seconds if seconds >= 1 else math.inf
        yield from attack()
    return attack_until_deadline
init_attacks = wapiti.Wapiti._init_attacks
def init_bounded_attacks(self):
    init_attacks(self)
    for module in self.attacks:
        module.attack = bounded(self, module)
wapiti.Wapiti._init_attacks = init_bounded_attacks
mutate = Mutator.mutate
def mutate_until_deadline(self, request):
    names = new_names.get((request.method, request.url))
    for mutation in mutate(self, request):
        if time.monotonic() > module_deadline[0]:
            return
        if names is None or unquote(mutation[1]) in names:
            yield mutation
Mutator.mutate = mutate_until_deadline
def forms_first(links, forms):
    return chain(forms, links)
for module_file in (mod_xss, mod_file, mod_blindsql):
    module_file.chain = forms_first
mod_blindsql.mod_blindsql.payloads = property(
    lambda self: [payload for payload in Attack.payloads.fget(self) if "pg_sleep" in payload[0]]
)
seen = set()
new_names = {}
repeats = [0]
add_request = SqlitePersister.add_request
def add_request_of_new_shape(self, resource):
    post_params = resource.post_params if isinstance(resource.post_params, list) else []
    names = [param[0] for param in resource.get_params + post_params + resource.file_params]
    new = new_parameters(resource.method, resource.path, names, seen)
    if names and not new:
        repeats[0] += 1
        return
    seen.update(new)
    new_names.setdefault((resource.method, resource.url), set()).update(name for *_, name in new)
    add_request(self, resource)
SqlitePersister.add_request = add_request_of_new_shape
browse = wapiti.Wapiti.browse
def browse_and_count(self):
    browse(self)
    print(f"[*] {repeats[0]} URLs and forms of a shape already seen were not kept for attack")
wapiti.Wapiti.browse = browse_and_count
sys.argv[0] = "wapiti"
sys.exit(wapiti.wapiti_main())
"""
)
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


def wapiti_limit_seconds():
    """When wapiti is stopped if its own limits fail: the crawl's, every module's, and slack."""
    return WAPITI_CRAWL_SECONDS + sum(WAPITI_MODULE_SECONDS.values()) + WAPITI_SLACK_SECONDS


def wapiti_excluded(origin, facets):
    """-x patterns: the pages that would end the session (WAPITI_EXCLUDED), and the searches with
    two values of one facet."""
    patterns = [origin + pattern for pattern in WAPITI_EXCLUDED]
    # The search's facet form, every box ticked, makes searches of 40-odd parameters (and their
    # sort and "save this search" variants): the same few names, each attacked once per value,
    # which alone took longer than all the other pages. A search with one value in every facet
    # is a start page instead (sqlmap's), so that every facet is attacked all the same.
    patterns += [f"{origin}/search/?*{facet}=*&{facet}=*" for facet in facets]
    return patterns


def wapiti_base_command(origin):
    """What the scan and the report-only run share: the target and scope (which name wapiti's
    session file), the session folder, and the report."""
    return [
        "/usr/bin/python3",
        "-c",
        WAPITI_SHIM,
        json.dumps(WAPITI_MODULE_SECONDS),
        "-u",
        f"{origin}/",
        "--scope",
        "folder",
        "--store-session",
        str(REPORTS / "wapiti-session"),
        "--no-bugreport",
        "-f",
        "json",
        "-o",
        str(REPORTS / "wapiti.json"),
    ]


def wapiti_scan_command(origin, cookies, start_paths, excluded):
    command = wapiti_base_command(origin)
    for path in start_paths:
        command += ["-s", origin + path]
    for pattern in excluded:
        command += ["-x", pattern]
    return [
        *command,
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
        # Django compares this token with the cookie's before any view runs: each payload in it
        # gets the same 403 from Django's own code. The csrf module tries wrong tokens itself.
        "--skip",
        "csrfmiddlewaretoken",
        "-t",
        str(WAPITI_TIMEOUT),
        "--flush-session",
        "-v",
        "1",
    ]


def wapiti_report_command(origin):
    """A second run that only writes the report of what the session holds: no crawl, no module
    (the session keeps every finding as it is made)."""
    return [*wapiti_base_command(origin), "--skip-crawl", "-m", "", "-v", "1"]


def start_wapiti(origin, cookie_value, cookie_name, start_paths, excluded):
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
    command = wapiti_scan_command(origin, cookies, start_paths, excluded)
    # Nothing on its standard input: a question wapiti asks ends it instead of waiting forever.
    process = subprocess.Popen(  # nosec B603
        command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
    )
    return process, log


def wait_for_crawl(process, *, seconds):
    """Until wapiti's log says its crawl is over (or wapiti ended, or `seconds` passed)."""
    started = time.monotonic()
    while process.poll() is None and time.monotonic() - started < seconds:
        if wapiti_progress((REPORTS / "wapiti.log").read_text(errors="replace"))["crawled"]:
            return
        time.sleep(0.5)


def write_wapiti_report_from_session(origin):
    """After wapiti was stopped: True when the report-only run wrote reports/attack/wapiti.json."""
    (REPORTS / "wapiti.json").unlink(missing_ok=True)
    with (REPORTS / "wapiti-report.log").open("w") as log:
        try:
            subprocess.run(  # nosec B603
                wapiti_report_command(origin),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=WAPITI_REPORT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return False
    return (REPORTS / "wapiti.json").exists()


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


def csrf_refused_paths(server_log):
    """The paths where Django's CSRF check refused a request, from the server's log."""
    return set(re.findall(r"^Forbidden \(CSRF[^)]*\): (\S+)$", server_log, re.MULTILINE))


def classify_wapiti_report(report, csrf_refused=frozenset()):
    """(serious, minor) findings of wapiti's JSON report: medium or worse (and every 500), and
    the rest, each as one line; a low finding JUSTIFIED explains says why, and so does a CSRF
    finding the server's log refutes (CSRF_NOT_CHECKED)."""
    serious, minor = [], []
    for section in ("vulnerabilities", "anomalies"):
        for category, items in (report.get(section) or {}).items():
            for item in items:
                level = int(item.get("level") or 0)
                info = item.get("info") or ""
                line = (
                    f"{WAPITI_LEVELS.get(str(level), level)}: {category}: {item.get('method')} "
                    f"{item.get('path')} {item.get('parameter') or ''} {info[:160]}"
                )
                reason = next(
                    (
                        why
                        for (name, start), why in JUSTIFIED.items()
                        if name == category and info.startswith(start)
                    ),
                    None,
                )
                refuted = (
                    category == CSRF_NOT_CHECKED[0]
                    and info.startswith(CSRF_NOT_CHECKED[1])
                    and (item.get("path") or "").partition("?")[0] in csrf_refused
                )
                if reason and level < MEDIUM:
                    minor.append(f"{line} (justified: {reason})")
                elif refuted:
                    minor.append(
                        f"{line} (false: Django's CSRF check refused the wrong token there, "
                        "see server.log; the app refused the form sent again with the right one)"
                    )
                elif level >= MEDIUM or (section, category[:8]) == ("anomalies", "Internal"):
                    serious.append(line)
                else:
                    minor.append(line)
    return serious, minor


def wapiti_progress(log):
    """What wapiti's console log says it did: whether its crawl is over and whether its time limit
    cut it, URLs and forms kept for attack, repeats of a shape left out, the modules it launched,
    and those it stopped at their time limit."""
    found = re.search(r"Wapiti found (\d+) URLs and forms", log)
    repeats = re.search(r"\[\*\] (\d+) URLs and forms of a shape already seen", log)
    return {
        "crawled": found is not None,
        "crawl_cut": "Max scan time was reached" in log,
        "kept": int(found.group(1)) if found else 0,
        "repeats": int(repeats.group(1)) if repeats else 0,
        "launched": set(re.findall(r"\[\*\] Launching module (\w+)", log)),
        "stopped": re.findall(r"Max attack time was reached for module (\w+)", log),
    }


def wapiti_summary(*, timed_out, status, server_log):
    """Print what wapiti did and found; return the failures."""
    failures = []
    progress = wapiti_progress((REPORTS / "wapiti.log").read_text(errors="replace"))
    if not (REPORTS / "wapiti.json").exists():
        if not timed_out:
            failures.append(
                f"wapiti ended (exit status {status}) without writing its report: see "
                "reports/attack/wapiti.log"
            )
        return failures
    serious, minor = classify_wapiti_report(
        json.loads((REPORTS / "wapiti.json").read_text()), csrf_refused_paths(server_log)
    )
    print(
        f"  wapiti: {progress['kept']} URLs and forms kept for attack ({progress['repeats']} "
        f"more of a shape already kept), {len(serious)} findings medium or worse, "
        f"{len(minor)} low or informational"
    )
    if progress["crawl_cut"]:
        print(f"    crawl stopped at its limit ({WAPITI_CRAWL_SECONDS} s): pages left untested")
    if progress["stopped"]:
        print(f"    stopped at their time limit: {', '.join(progress['stopped'])}")
    for line in minor:
        print(f"    {line}")
    failures += [f"wapiti: {line}" for line in serious]
    not_run = [module for module in WAPITI_MODULES if module not in progress["launched"]]
    if not_run:
        failures.append(f"wapiti did not run the modules {', '.join(not_run)}: see wapiti.log")
    if progress["kept"] < 10:
        failures.append(f"wapiti kept only {progress['kept']} URLs: was it signed in?")
    return failures


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

        from search.params import FACET_NAMES

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
        # Before the scanners load the server: how long each path of sign-up and sign-in takes.
        timings = enumeration_timing.measure(
            port,
            existing=["lucia.perez@gub.uy", "kadri.tamm@riik.ee", "priya.sharma@gov.in"],
            new_domain="gub.uy",
        )
        targets = sqlmap_targets(values)
        say(f"app at {origin}, signed in as {OFFICIAL}; sqlmap on {', '.join(targets)}, wapiti")
        scanners = {}
        scanners["wapiti"] = start_wapiti(
            origin,
            wapiti_session,
            cookie_name,
            # Lessons are one link from the last two, and their forms (Min-jun's own lessons' edit
            # and audience forms too) within the crawl's depth.
            ["/networks/", *targets.values(), "/search/?q=identity", "/lessons/mine/"],
            wapiti_excluded(origin, FACET_NAMES),
        )
        logs.append(scanners["wapiti"][1])
        # wapiti ends by its own limits well before this one; sqlmap takes a minute or two.
        deadline = time.monotonic() + wapiti_limit_seconds()
        # sqlmap starts once wapiti's crawl is over: sharing the two workers with sqlmap, a
        # crawl reached 71 of some 180 pages in 45 s, and missed most forms.
        wait_for_crawl(scanners["wapiti"][0], seconds=WAPITI_CRAWL_SECONDS + WAPITI_SLACK_SECONDS)
        for name, path in targets.items():
            scanners[f"sqlmap {name}"] = start_sqlmap(name, origin + path, cookie)
            logs.append(scanners[f"sqlmap {name}"][1])
        timed_out = []
        for name, (process, _) in scanners.items():
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 1))
            except subprocess.TimeoutExpired:
                timed_out.append(name)
                say(f"{name} is still running after {wapiti_limit_seconds()} s: stopping it")
                harness.stop(process)
        wapiti_status = scanners["wapiti"][0].returncode
        report_from_session = None
        if "wapiti" in timed_out:
            say("writing wapiti's report from its session (reports/attack/wapiti-report.log)")
            report_from_session = write_wapiti_report_from_session(origin)
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
        server_log = (REPORTS / "server.log").read_text(errors="replace")
        failures += wapiti_summary(
            timed_out="wapiti" in timed_out, status=wapiti_status, server_log=server_log
        )
        if report_from_session is not None:
            failures.append(
                f"wapiti overran its own time limits and was stopped after "
                f"{wapiti_limit_seconds()} s: "
                + (
                    "its report was written afterwards from its session, and holds only what "
                    "it found until then"
                    if report_from_session
                    else "and no report could be written from its session either: see "
                    "reports/attack/wapiti.log and wapiti-report.log"
                )
            )
        status, _ = harness.get(port, "/networks/", cookie=f"{cookie_name}={wapiti_session}")
        if status != 200:
            failures.append(f"wapiti's session no longer works ({status}): the scan was blind")
        # 403s and 404s are logged too (with the PermissionDenied traceback): only 500s count.
        print("  sign-up and sign-in, with and without an account (enumeration by timing):")
        for line in enumeration_timing.report(timings):
            print(f"  {line}")
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
