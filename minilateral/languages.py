"""The interface's languages: which ones are offered, the language a browser asks for, and the
cookie that remembers a browser's choice."""

from pathlib import Path

from django.conf import settings
from django.utils import translation


def compiled_languages(names, locale_paths, *, source="en"):
    """(code, name) for the source language and for each other language in `names` whose
    compiled catalogue (<locale path>/<locale>/LC_MESSAGES/django.mo) exists: dropping a
    catalogue in and compiling it (`make translations`) is what offers a language."""
    return [
        (code, name)
        for code, name in names.items()
        if code == source
        or any(
            (Path(path) / translation.to_locale(code) / "LC_MESSAGES" / "django.mo").is_file()
            for path in locale_paths
        )
    ]


def is_offered(code):
    return bool(code) and code in dict(settings.LANGUAGES)


def browser_language(request):
    """The first language of the browser's Accept-Language that Minilateral offers (its
    cookie aside), else the site's default."""
    # Imported here: this module is read by the settings, before Django is set up.
    from django.utils.translation.trans_real import parse_accept_lang_header

    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def remember_language(response, code):
    """Have the browser ask for `code` from its next request on (LocaleMiddleware reads the
    cookie); "" forgets the choice, and the browser's Accept-Language decides again."""
    if not code:
        response.delete_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
