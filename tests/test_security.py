"""Nobody let in: headers on every response, cookies, GETs that change nothing, CSRF, rate
limits on posting, and refused accesses recorded for platform admins."""

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from lessons.models import Lesson
from networks.models import AccessDenial
from tests.networks.conftest import sign_in
from tests.urls_sweep import all_urls

URLS = sorted(all_urls())


def check_security_headers(response, path):
    policy = response.get("Content-Security-Policy", "")
    html = response.get("Content-Type", "").startswith("text/html")
    if html and not 300 <= response.status_code < 400:
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in policy, f"{path}: {directive} missing"
    assert response["X-Content-Type-Options"] == "nosniff", path
    assert response["Referrer-Policy"] == "same-origin", path
    assert response["X-Frame-Options"] == "DENY", path


@pytest.mark.parametrize("persona", ["anonymous", "member"])
def test_every_response_carries_the_security_headers(cast, persona):
    client = sign_in(getattr(cast, persona, None))
    for _name, path in [*URLS, ("missing", "/no/such/page/")]:
        response = client.get(path)
        check_security_headers(response, path)
        if persona == "member":
            assert "no-store" in response.get("Cache-Control", ""), path


def test_hsts_is_sent_over_https_in_production(db):
    with override_settings(SECURE_HSTS_SECONDS=31_536_000):
        response = Client().get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]


def test_session_and_csrf_cookies_are_host_only_secure_and_lax(demo):
    client = Client()
    client.get(reverse("account_login"))
    client.post(reverse("account_login"), {"login": demo.member.email, "password": demo.password})
    session = client.cookies["__Host-sessionid"]
    csrf = client.cookies["__Host-csrftoken"]
    for cookie in (session, csrf):
        assert cookie["secure"]
        assert cookie["httponly"]
        assert cookie["samesite"] == "Lax"
        assert cookie["path"] == "/"
        assert not cookie["domain"]


# Tables a GET may write: the session, allauth's record of signed-in sessions, the caches,
# and the security log of refused accesses.
BOOKKEEPING = {
    "django_session",
    "usersessions_usersession",
    "minilateral_cache",
    "minilateral_search_cache",
    "networks_accessdenial",
    "networks_user",  # last_login, written by signing in, not by the pages
    "lessons_notification",  # opening a notification marks it read (its read_at only)
}
# The audit log may gain one kind of row from a GET: a moderator's sight of a hidden author,
# logged by the page that shows it (lessons.access.record_author_seen). Any other row counts.
ROWS_A_GET_MAY_ADD = {"networks_auditevent": "WHERE t.action <> 'author.seen'"}


def database_fingerprint():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall() if row[0] not in BOOKKEEPING]
        fingerprint = {}
        for table in tables:
            # Table names come from pg_tables, not from any input.
            query = "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
            where = ROWS_A_GET_MAY_ADD.get(table, "")
            cursor.execute(f'{query} FROM "{table}" t {where}')
            fingerprint[table] = cursor.fetchone()[0]
    return fingerprint


@pytest.mark.parametrize(
    "persona", ["anonymous", "outsider", "member", "moderator", "convenor", "admin"]
)
def test_no_get_changes_the_database(cast, persona):
    client = sign_in(getattr(cast, persona, None))
    lesson = Lesson.objects.filter(network=cast.digital_nations, state="published").first()
    paths = [path for _name, path in URLS] + [
        lesson.get_absolute_url(),
        reverse("lessons:edit", args=[lesson.pk]),
        reverse("networks:home", args=["digital-nations"]),
        reverse("networks:members", args=["digital-nations"]),
        reverse("moderation:queue", args=["digital-nations"]),
    ]
    before = database_fingerprint()
    for path in paths:
        client.get(path)
    after = database_fingerprint()
    changed = [table for table in before if before[table] != after.get(table)]
    assert changed == [], f"GETs by {persona} changed {changed}"


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("lessons:create", []),
        ("lessons:endorse", ["lesson"]),
        ("moderation:flag", ["lesson"]),
        ("networks:invitations", ["digital-nations"]),
    ],
)
def test_post_without_csrf_token_is_refused(cast, name, args):
    lesson = Lesson.objects.filter(network=cast.digital_nations, state="published").first()
    client = sign_in(cast.convenor)
    client.handler.enforce_csrf_checks = True
    url = reverse(name, args=[lesson.pk if arg == "lesson" else arg for arg in args])
    response = client.post(url, {"kind": "useful", "reason": "other", "emails": "x@gov.pt"})
    assert response.status_code == 403
    assert "the page had expired" in response.content.decode()
    assert "You cannot do that here" not in response.content.decode()


def test_posting_lessons_is_rate_limited_per_official(demo, settings):
    settings.USER_RATE_LIMITS = {**settings.USER_RATE_LIMITS, "lesson_post": "3/h"}
    client = sign_in(demo.member)
    url = reverse("lessons:create") + "?network=digital-nations"
    statuses = [client.post(url, {"title": f"T{i}"}).status_code for i in range(4)]
    assert statuses[:3] == [200, 200, 200]  # the form again, with its errors
    assert statuses[3] == 429
    assert "Too many attempts" in client.post(url, {}).content.decode()
    # Another official is not held back by Lucía's limit.
    assert sign_in(demo.group_member).post(url, {"title": "x"}).status_code == 200


def test_refused_accesses_are_recorded_without_content_and_shown_to_admins(cast):
    private = Lesson.objects.get(title__startswith="AI chatbot")  # Digital Nations only
    client = sign_in(cast.outsider)
    for _ in range(3):
        assert client.get(private.get_absolute_url() + "?secret=1").status_code == 404
    denials = AccessDenial.objects.filter(user=cast.outsider)
    assert denials.count() == 3
    assert denials.first().path == private.get_absolute_url()  # no query string
    Client().get(private.get_absolute_url())  # visitors are sent to sign in, not recorded
    assert AccessDenial.objects.count() == 3
    admin_page = sign_in(cast.admin).get(
        reverse("admin:networks_accessdenial_changelist") + f"?user__id__exact={cast.outsider.pk}"
    )
    assert admin_page.status_code == 200
    assert "3 refused accesses" in admin_page.content.decode()
