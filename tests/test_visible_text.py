"""No page shows the program's insides: every page of the URL sweep (tests/urls_sweep.py), with
real objects of the demo world in its arguments (as tests/test_translations.py builds them),
rendered for each persona, shows no object's repr (`ShownAuthor(label=...)`), no markup escaped
into text (`&lt;a`), no Python `None` and no empty list `[]` in what a reader sees."""

import html.parser
import re

import pytest

from tests.networks.conftest import sign_in
from tests.sweep_pages import (
    body_of,
    pages,
    translations_world,  # noqa: F401
)
from tests.sweep_pages import swept_world as world  # noqa: F401  (fixtures)

PERSONAS = ["visitor", "member", "group_member", "suspended", "outsider", "moderator", "convenor"]
REPR = re.compile(r"\b[A-Z]\w*\(\w+=")
# A tag shown as text; "&lt;country&gt;" in a hint is a placeholder the text means to show.
ESCAPED_MARKUP = re.compile(r"&lt;(?:/|(?:a|p|b|i|em|strong|span|div|br|ul|li|code)(?:\s|&gt;))")
# "None of the countries" and "None." are English; a None not followed by a word or a full stop
# is Python's.
PYTHON_WORDS = re.compile(r"(?<![\w-])(?:None(?!\s+[a-z]|\.)|\[\]|\{\})(?![\w-])")


class _VisibleText(html.parser.HTMLParser):
    """Text nodes and the attributes a reader meets, outside scripts and styles."""

    READ = ("title", "aria-label", "placeholder", "alt", "value")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.hidden += 1
        elif not self.hidden:
            types = dict(attrs).get("type")
            self.parts += [
                value
                for name, value in attrs
                if name in self.READ and value and (name != "value" or types == "submit")
            ]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(body):
    parser = _VisibleText()
    parser.feed(body)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def faults(body, content_type):
    """What on the page shows the program rather than the product."""
    found = []
    if "html" in content_type:
        text = visible_text(body)
        found += [f"escaped markup {m.group()!r}" for m in ESCAPED_MARKUP.finditer(body)]
    else:
        text = body
    found += [f"a repr {m.group()!r}" for m in REPR.finditer(text)]
    found += [f"Python's {m.group()!r}" for m in PYTHON_WORDS.finditer(text)]
    return found


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("<p>By ShownAuthor(label='Lucía Pérez, Uruguay', official_id=4)</p>", True),
        ('<p>Already have an account? &lt;a href="/accounts/login/"&gt;Sign in.</p>', True),
        ("<dd>None</dd>", True),
        ("<p>Tags: []</p>", True),
        ("<p>None of the countries (Estonia) asked; a-None id</p>", False),
        ("<p class=hint>None.</p><option>an official of &lt;country&gt;</option>", False),
        ('<p>By <a href="/officials/4/">Lucía Pérez, Uruguay</a></p>', False),
        ("<script>if (x == None) f(a=1)</script><p>Fine</p>", False),
    ],
)
def test_faults_tells_program_insides_from_product_text(body, found):
    """The check itself can fail: each kind of fault is caught, ordinary prose is not."""
    caught = faults(body, "text/html")
    if found:
        assert caught
    else:
        assert caught == []


@pytest.mark.django_db
def test_no_page_shows_the_program_insides(world):  # noqa: F811
    paths = pages(world)
    found, rendered = [], 0
    for persona in PERSONAS:
        user = getattr(world.cast, persona, None)
        client = sign_in(user)
        for path in paths:
            response = client.get(path)
            content_type = response.get("Content-Type", "")
            if response.status_code in (301, 302, 303, 405) or not content_type.startswith(
                ("text/html", "text/plain", "text/markdown")
            ):
                continue
            rendered += 1
            found += [f"{persona} {path}: {f}" for f in faults(body_of(response), content_type)]
    assert rendered > 150, f"only {rendered} pages rendered: the sweep lost its arguments"
    assert not found, "\n".join(found)
