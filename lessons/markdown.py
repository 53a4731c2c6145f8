"""Markdown for the long fields of lessons (and later comments): rendered, then sanitised.

markdown-it-py renders CommonMark with raw HTML disabled (it is shown as text, never passed
through); nh3 then keeps only a small set of tags and attributes, and links only to http, https
and mailto addresses. No script, no event handler, no style, no iframe survives either step.
"""

import functools
import html
import re

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable("table")
_markdown.enable("strikethrough")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "hr",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
RENDERED_TEXTS_REMEMBERED = 4096


def _demote_headings(tokens):
    # A section's own heading is an h2 on the page: Markdown headings start below it.
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + 2, 6)
            token.tag = f"h{level}"
    return tokens


def render_markdown(text):
    """Safe HTML for a Markdown text."""
    if not text:
        return SafeString("")
    # Sanitised by nh3 in _render.
    return mark_safe(_render(text))  # noqa: S308  # nosec B308 B703


# The HTML depends on the text alone, the same for every reader: remembered per process for
# the texts seen most recently (lesson sections and comments shown on every page view).
@functools.lru_cache(maxsize=RENDERED_TEXTS_REMEMBERED)
def _render(text):
    tokens = _demote_headings(_markdown.parse(text))
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


@functools.lru_cache(maxsize=RENDERED_TEXTS_REMEMBERED)
def markdown_to_text(text):
    """Plain text of a Markdown text, for feeds' summaries, emails, snippets and CSV cells:
    text, not HTML ("R&D", never "R&amp;D"), to be escaped once by whatever shows it."""
    return html.unescape(nh3.clean(str(render_markdown(text)), tags=set())).strip()


# What starts raw HTML in CommonMark: "<" then a letter, "/", "!" or "?" ("< 5%" does not).
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")
# A link's or an image's destination, inline ("](dest") or in a reference ("[x]: dest").
_DESTINATION = re.compile(
    r"(\]\(\s*<?|^[ ]{0,3}\[[^\]]+\]:\s*<?)((?:[^\s()<>]|\([^\s()]*\))*)", re.MULTILINE
)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def _safe_destination(match):
    destination = match.group(2)
    # Entities and escapes are decoded by a Markdown reader before the scheme is looked at.
    decoded = re.sub(r"[\x00-\x20\\]", "", html.unescape(destination))
    scheme = _SCHEME.match(decoded)
    if scheme and scheme.group(1).lower() not in ALLOWED_URL_SCHEMES:
        destination = "#"
    return match.group(1) + destination


def markdown_for_export(text):
    """A Markdown text as the site shows it, for a Markdown file read elsewhere: raw HTML comes
    out as text (the site's renderer never passes it through), images become links (the site
    shows none), and links lead only to http, https and mailto addresses. No Markdown reader
    can find live HTML in it."""
    if not text:
        return ""
    text = _TAG_OPEN.sub("&lt;", text).replace("![", "\\![")
    return _DESTINATION.sub(_safe_destination, text)
