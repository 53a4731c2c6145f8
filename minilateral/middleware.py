import logging

from django.shortcuts import render
from django.utils.cache import patch_cache_control

security_log = logging.getLogger("django.security.minilateral")


class NoStoreForOfficialsMiddleware:
    """A page for a signed-in official is never stored by a browser or a proxy: private
    lessons must not outlive the session in a shared computer's cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


def _unacceptable(text):
    return "\x00" in text or any("\ud800" <= char <= "\udfff" for char in text)


class RejectUnacceptableInputMiddleware:
    """Every query parameter and form field, names and values, is checked once here, so that
    no view has to: a NUL byte or a lone surrogate (text no field can store, PostgreSQL refuses
    NUL, and no person types) answers 400 with a page that says why, never a 500 from the
    database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for data in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
            for key, values in data.lists():
                if _unacceptable(key) or any(_unacceptable(value) for value in values):
                    return self._refuse(request)
        if _unacceptable(request.path):
            return self._refuse(request)
        return self.get_response(request)

    def _refuse(self, request):
        security_log.warning("refused 400 %s: NUL byte or lone surrogate", request.method)
        context = {"unacceptable_characters": True}
        return render(request, "400.html", context, status=400)
