"""Bad input gets a clear answer, never a 500: a NUL byte, a lone surrogate (sent as the
UTF-8 bytes a browser never sends, %ED%B3%BF) and an over-long value go into every query
parameter and every form field of the pages of the URL sweep, as the convenor sees them (she sees
the most forms), and into allauth's pages as a visitor."""

from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.forms_inventory import OFFICIALS_GET_ONLY, OFFICIALS_POST
from tests.lessons.test_permissions import MATRIX as LESSON_MATRIX
from tests.lessons.test_permissions import objects  # noqa: F401  (the fixture)
from tests.networks.conftest import sign_in
from tests.networks.test_permissions import MATRIX as NETWORK_MATRIX
from tests.urls_sweep import all_urls

# Each already percent-encoded, as it goes on the wire.
BAD_VALUES = {
    "nul": quote("a\x00b"),
    "lone-surrogate": "%ED%B3%BF",
    "over-long": "x" * 20_000,
}
# Parameters the pages read from the query string without a form offering them all.
COMMON_QUERY = ("q", "page", "network", "sort", "tag", "country", "year", "next", "lang")


class Forms(HTMLParser):
    """The forms of a page: (method, action, field names)."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                [(attrs.get("method") or "get").lower(), attrs.get("action") or "", set()]
            )
        elif self.forms and tag in ("input", "textarea", "select", "button"):
            self.forms[-1][2].add(attrs.get("name"))
            self.forms[-1][2] -= {None, "csrfmiddlewaretoken"}


def encoded(names, bad):
    return "&".join(f"{quote(name)}={bad}" for name in sorted(names))


def probe(client, address, *, post_names=(), sent):
    """Send every bad value to the page's query parameters and to each of its forms; the
    statuses that are 500 or more, as (what, status)."""
    failures = []
    path, _, query = address.partition("?")
    query_names = {name for name, _ in parse_qsl(query)} | set(COMMON_QUERY)
    response = client.get(address)
    forms = []
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        parser = Forms()
        parser.feed(response.content.decode())
        forms = parser.forms
    if post_names:
        forms.append(["post", path, set(post_names)])
    for label, bad in BAD_VALUES.items():
        response = client.get(f"{path}?{encoded(query_names, bad)}")
        if response.status_code >= 500:
            failures.append((f"GET {path} query {label}", response.status_code))
        for method, action, names in forms:
            target = urlsplit(action).path or path
            key = (method, target, frozenset(names), label)
            if key in sent or not names:
                continue
            sent.add(key)
            with transaction.atomic():
                if method == "post":
                    response = client.post(
                        target,
                        encoded(names, bad),
                        content_type="application/x-www-form-urlencoded",
                    )
                else:
                    response = client.get(f"{target}?{encoded(names, bad)}")
                transaction.set_rollback(True)
            if response.status_code >= 500:
                failures.append((f"{method.upper()} {target} {sorted(names)} {label}", 500))
    return failures


@pytest.mark.django_db
def test_bad_values_in_every_parameter_and_form_answer_without_a_server_error(cast, objects):  # noqa: F811
    client = sign_in(cast.convenor)
    client.raise_request_exception = False
    sent, failures = set(), []
    addresses = [
        (url(objects), data(objects) if data else {}) for _, url, *_, data in LESSON_MATRIX
    ]
    addresses += [
        (reverse(name, args=args(cast)), data(cast) if data else {})
        for name, args, *_, data in NETWORK_MATRIX
    ]
    officials = OFFICIALS_GET_ONLY | OFFICIALS_POST
    addresses += [(path, {}) for name, path in all_urls() if name in officials]
    addresses += [(reverse(name), {}) for name in ("home", "search:page", "search:saved_searches")]
    for address, data in addresses:
        failures += probe(client, address, post_names=set(data), sent=sent)
    visitor = Client(raise_request_exception=False)
    for name in ("account_login", "account_signup", "account_reset_password"):
        failures += probe(visitor, reverse(name), sent=sent)
    assert len(sent) > 50, "the probe found too few forms: the sweep is not reaching the pages"
    assert failures == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("lessons:tag_suggestions", "?network=digital-nations&q=a%00b"),
        ("search:page", "?q=a%00b"),
    ],
)
def test_a_nul_byte_answers_400_with_a_page_that_says_why(cast, name, query):
    response = sign_in(cast.member).get(reverse(name) + query)
    assert response.status_code == 400
    assert "not text" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_byte_in_the_mention_autocomplete_and_a_saved_search_answers_400(cast, objects):  # noqa: F811
    client = sign_in(cast.member)
    mentions = reverse("discussion:mention_suggestions", args=[objects.lesson.pk])
    assert client.get(mentions + "?q=L%00").status_code == 400
    saved = client.post(reverse("search:saved_searches"), {"q": "tax\x00"})
    assert saved.status_code == 400
