"""No page of the site has two elements with the same id: labels, error links and skip links
point at one element each (WCAG 4.1.1's successor checks, and what assistive technology needs)."""

from collections import Counter
from html.parser import HTMLParser

import pytest

from tests.networks.conftest import sign_in
from tests.readable_pages import readable_pages


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = Counter()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key == "id" and value:
                self.ids[value] += 1


def duplicate_ids(html):
    parser = _Ids()
    parser.feed(html)
    return sorted(value for value, count in parser.ids.items() if count > 1)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["member", "moderator", "convenor", None])
def test_no_page_of_the_sweep_repeats_an_id(demo, persona):
    client = sign_in(getattr(demo, persona) if persona else None)
    pages = readable_pages(client)
    assert len(pages) > (10 if persona else 3)
    repeated = {}
    for name, path in pages:
        ids = duplicate_ids(client.get(path).content.decode())
        if ids:
            repeated[f"{name} {path}"] = ids
    assert not repeated, f"pages with repeated ids: {repeated}"
