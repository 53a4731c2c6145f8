"""Every URL pattern of the site, with sample arguments, for tests that sweep them all."""

import re
import uuid

from django.urls import URLPattern, URLResolver, get_resolver

SAMPLE_BY_CONVERTER = {"int": "1", "slug": "sample", "str": "sample", "uuid": str(uuid.uuid4())}
SAMPLE_REGEX_VALUES = ["1", "sample", "networks", "key-sample"]


def _sample_route(route):
    def replace(match):
        converter = match.group(1) or "str"
        return SAMPLE_BY_CONVERTER.get(converter, "sample")

    return re.sub(r"<(?:(\w+):)?\w+>", replace, route)


def _sample_regex(regex):
    pattern = regex.pattern.lstrip("^").rstrip("$").replace("\\Z", "")
    for candidate in SAMPLE_REGEX_VALUES:
        text = re.sub(r"\(\?P<\w+>[^)]*\)", candidate, pattern)
        text = re.sub(r"\(([^)|]*)(\|[^)]*)?\)", r"\1", text)  # first alternative of a group
        text = text.replace("\\", "").replace("?", "")
        if regex.match(text):
            return text
    return None


def _sample(pattern):
    route = getattr(pattern.pattern, "_route", None)
    if route is not None:
        return _sample_route(route)
    return _sample_regex(pattern.pattern.regex)


def all_urls(resolver=None, prefix="/", namespace=""):
    """Yield (qualified name, sample path) for every pattern of the resolver."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        part = _sample(pattern)
        if part is None:
            continue
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from all_urls(pattern, prefix + part, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else prefix + part
            yield name, prefix + part
