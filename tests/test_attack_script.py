"""`make attack`'s own logic (scripts/attack.py): what wapiti crawls and attacks, how long it may
take, and how its report and logs are judged.

The scan itself runs sqlmap and wapiti for minutes and is not part of `make test`."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from scripts import attack
from search.params import FACET_NAMES

ORIGIN = "http://127.0.0.1:8123"


def excluded(url):
    return any(
        attack.wildcard_translate(pattern).match(url)
        for pattern in attack.wapiti_excluded(ORIGIN, FACET_NAMES)
    )


def test_a_search_with_two_values_of_one_facet_is_not_crawled():
    assert excluded(f"{ORIGIN}/search/?q=id&stage=pilot&stage=scaling")
    assert excluded(f"{ORIGIN}/search/?tag=wallet&country=UY&tag=adoption&sort=newest")


def test_a_search_with_one_value_in_every_facet_is_crawled():
    query = "&".join(f"{facet}=x" for facet in FACET_NAMES)
    assert not excluded(f"{ORIGIN}/search/?q=identity&{query}&sort=newest&page=1")
    assert not excluded(f"{ORIGIN}/search/?q=stage%3Dpilot+stage%3Dscaling")


def test_the_pages_that_would_end_the_scan_or_its_lessons_are_not_crawled():
    assert excluded(f"{ORIGIN}/accounts/logout/")
    assert excluded(f"{ORIGIN}/lessons/4/withdraw/")
    assert excluded(f"{ORIGIN}/lessons/1/comments/3/delete/")
    assert not excluded(f"{ORIGIN}/lessons/1/comments/3/edit/")
    assert not excluded(f"{ORIGIN}/lessons/4/")


def test_pages_of_one_shape_bring_only_their_new_parameters():
    seen = set()
    names = ["csrfmiddlewaretoken", "creation_token", "body"]
    first = attack.new_parameters("POST", f"{ORIGIN}/lessons/1/comments/", names, seen)
    assert len(first) == 3
    seen |= first
    assert attack.new_parameters("POST", f"{ORIGIN}/lessons/7/comments/", names, seen) == set()
    search = attack.new_parameters("GET", f"{ORIGIN}/search/", ["q"], seen)
    seen |= search
    assert attack.new_parameters("GET", f"{ORIGIN}/search/", ["q"], seen) == set()
    assert attack.new_parameters("GET", f"{ORIGIN}/search/", ["q", "sort"], seen) == {
        ("GET", f"{ORIGIN}/search/", "sort")
    }
    # Another method, or a path that differs by more than its numbers, is another shape.
    assert attack.new_parameters("GET", f"{ORIGIN}/lessons/7/comments/", names, seen)
    assert attack.new_parameters("POST", f"{ORIGIN}/lessons/7/flag/", names, seen)


def finding(level, info, path="/", category="Cross Site Scripting"):
    return {category: [{"method": "POST", "path": path, "info": info, "level": level}]}


def test_a_finding_of_medium_severity_or_worse_fails_the_run_and_a_low_one_does_not():
    for level, serious in [(0, False), (1, False), (2, True), (3, True), (4, True)]:
        found = attack.classify_wapiti_report({"vulnerabilities": finding(level, "XSS in body")})
        assert (found[0] != []) is serious, level
        assert len(found[0]) + len(found[1]) == 1


def test_a_server_error_found_fails_the_run_whatever_its_level():
    report = {"anomalies": finding(0, "500 in body", category="Internal Server Error")}
    assert len(attack.classify_wapiti_report(report)[0]) == 1


def test_a_justified_low_finding_says_why_and_a_medium_one_is_not_hidden():
    low = finding(1, "Strict-Transport-Security is not set", category="HTTP Secure Headers")
    serious, minor = attack.classify_wapiti_report({"vulnerabilities": low})
    assert serious == []
    assert "justified: on in production" in minor[0]
    medium = finding(2, "Strict-Transport-Security is not set", category="HTTP Secure Headers")
    assert len(attack.classify_wapiti_report({"vulnerabilities": medium})[0]) == 1


SERVER_LOG = """refused 403 POST /lessons/4/restore/ to official 5
Forbidden (CSRF token from POST has incorrect length.): /lessons/4/restore/
Forbidden (CSRF token missing.): /lessons/4/attachments/
Not Found: /lessons/new/
"""


def test_the_paths_where_django_refused_a_csrf_token_are_read_from_the_log():
    assert attack.csrf_refused_paths(SERVER_LOG) == {
        "/lessons/4/restore/",
        "/lessons/4/attachments/",
    }


@pytest.mark.parametrize(
    ("path", "serious"), [("/lessons/4/restore/", False), ("/lessons/7/follow/", True)]
)
def test_an_unchecked_csrf_token_is_false_only_where_the_log_shows_the_check(path, serious):
    info = "CSRF token 'csrfmiddlewaretoken' is not properly checked in backend"
    report = {"vulnerabilities": finding(2, info, path, category="Cross Site Request Forgery")}
    found = attack.classify_wapiti_report(report, attack.csrf_refused_paths(SERVER_LOG))
    assert (found[0] != []) is serious
    if not serious:
        assert "false: Django's CSRF check refused the wrong token there" in found[1][0]


WAPITI_CRAWL_LOG = """[+] GET http://127.0.0.1:8123/ (0)
[+] POST http://127.0.0.1:8123/lessons/1/comments/ (2)
"""
WAPITI_LOG = (
    WAPITI_CRAWL_LOG
    + """Max scan time was reached, stopping.
[*] 53 URLs and forms of a shape already seen were not kept for attack
[*] Wapiti found 126 URLs and forms during the scan
[*] Launching module crlf
[*] Launching module file
Max attack time was reached for module file, stopping.
[*] Launching module xss
"""
)


def test_what_wapiti_did_is_read_from_its_log():
    assert attack.wapiti_progress(WAPITI_LOG) == {
        "crawled": True,
        "crawl_cut": True,
        "kept": 126,
        "repeats": 53,
        "launched": {"crlf", "file", "xss"},
        "stopped": ["file"],
    }
    assert attack.wapiti_progress(WAPITI_CRAWL_LOG) == {
        "crawled": False,
        "crawl_cut": False,
        "kept": 0,
        "repeats": 0,
        "launched": set(),
        "stopped": [],
    }


def test_every_module_has_a_time_limit_and_the_scan_an_upper_bound():
    assert set(attack.WAPITI_MODULE_SECONDS) == set(attack.WAPITI_MODULES)
    assert attack.wapiti_limit_seconds() == (
        attack.WAPITI_CRAWL_SECONDS
        + sum(attack.WAPITI_MODULE_SECONDS.values())
        + attack.WAPITI_SLACK_SECONDS
    )
    # The bound the top of scripts/attack.py and the README promise, with a minute to build
    # the scratch world and the report-only run of a stopped wapiti.
    worst = 60 + attack.wapiti_limit_seconds() + 10 + attack.WAPITI_REPORT_SECONDS
    assert worst <= 12 * 60


def test_the_report_only_run_names_the_same_session_and_report_as_the_scan(tmp_path):
    scan = attack.wapiti_scan_command(ORIGIN, tmp_path / "cookies.json", ["/networks/"], [])
    report = attack.wapiti_report_command(ORIGIN)
    shared = attack.wapiti_base_command(ORIGIN)
    assert scan[: len(shared)] == shared
    assert report[: len(shared)] == shared
    assert report[len(shared) :] == ["--skip-crawl", "-m", "", "-v", "1"]
    assert "--flush-session" in scan
    assert "--flush-session" not in report


WAPITI_PYTHON = "/usr/bin/python3"


@pytest.mark.skipif(
    shutil.which("wapiti") is None or not Path(WAPITI_PYTHON).exists(),
    reason="Debian's wapiti is not installed",
)
def test_the_mends_apply_to_the_installed_wapiti():
    # Every name the shim replaces must exist in wapiti as installed, or it would fail at start.
    result = subprocess.run(
        [WAPITI_PYTHON, "-c", attack.WAPITI_SHIM, json.dumps({}), "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Wapiti 3.0.4" in result.stdout
