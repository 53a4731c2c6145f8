"""Headings and titles of the sign-in library's pages in sentence case, like the rest of the
site: django-allauth writes its English in title case ("Confirm Access"); its French and Spanish
are already in sentence case and are left alone."""

import re

from django import template
from django.utils.translation import get_language

register = template.Library()

KEEP = {"Minilateral"}  # proper names among the sign-in pages' words
CAPITALISED = re.compile(r"(?<=[\s-])([A-Z][a-z]+)\b")


def _lower_unless_kept(match):
    word = match.group(1)
    return word if word in KEEP else word.lower()


@register.filter(is_safe=True)
def sentence_case(text, path="/accounts/"):
    """`text` in sentence case when the page is one of the sign-in pages (under /accounts/)
    and speaks English; any other text is returned as it is (names, lesson titles)."""
    if not str(path).startswith("/accounts/") or not (get_language() or "en").startswith("en"):
        return text
    text = str(text).strip()  # the first word keeps its capital
    return CAPITALISED.sub(_lower_unless_kept, text)
