"""Views of the site's frame: the landing page, the health check, the benchmark floor and the
error pages."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from minilateral import signals

logger = logging.getLogger(__name__)
security_log = logging.getLogger("minilateral.security")


@login_not_required
@require_safe
def home(request):
    return render(request, "home.html")


@login_not_required
@require_safe
def retention(request):
    """What Minilateral keeps about people, for how long and why."""
    return render(
        request,
        "retention.html",
        {
            "session_max_hours": settings.SESSION_MAX_HOURS,
            "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
            "invitation_valid_days": settings.INVITATION_VALID_DAYS,
            "withdrawn_kept_days": settings.WITHDRAWN_LESSON_KEPT_DAYS,
            "refusals_kept_days": settings.REFUSED_ACCESS_KEPT_DAYS,
        },
    )


@login_not_required
@never_cache
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check: the database cannot be reached.", exc_info=True)
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
def hello(request):
    """The least a signed-in page can do: the whole middleware stack (session, sign-in, MFA,
    session lifetime, security headers) and nothing else. `make bench` measures every page's
    throughput against this floor; it shows nothing but a greeting, to officials only."""
    return HttpResponse(_("Hello."), content_type="text/plain; charset=utf-8")


@login_not_required
@require_safe
def hello_visitor(request):
    """The same floor for a visitor who is not signed in: `make bench` sets the signed-in
    floor against it (what signing in costs every request)."""
    return HttpResponse(_("Hello."), content_type="text/plain; charset=utf-8")


# Error pages say what happened and nothing about the request: a private object's 404 is the
# same page, byte for byte, as a missing one's.


def _error(request, template, status):
    return render(request, template, status=status)


@login_not_required
def bad_request(request, exception=None):
    return _error(request, "400.html", 400)


def _record_refusal(request, status):
    """Log a refused access by a signed-in official (path only: no query string, no content),
    and announce it: networks keeps the record the retention page speaks of."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    path = request.path[:300]
    security_log.warning("refused %s %s %s to official %s", status, request.method, path, user.pk)
    signals.access_refused.send(sender=None, request=request, user=user, status=status, path=path)


@login_not_required
def permission_denied(request, exception=None):
    _record_refusal(request, 403)
    return _error(request, "403.html", 403)


@login_not_required
def page_not_found(request, exception=None):
    _record_refusal(request, 404)
    # A refusal may carry a notice for the one refused (a former member is told their
    # membership ended, and whom to ask), rendered by the app that refused; else the same page
    # for every missing or private thing.
    explanation = getattr(exception, "explanation", "")
    return render(request, "404.html", {"explanation": explanation}, status=404)


@login_not_required
def csrf_failure(request, reason=""):
    """A form refused for its missing or stale CSRF token: not a matter of the official's role,
    so not the "you cannot do that" page; it says what happened and how to send it again."""
    return _error(request, "403_csrf.html", 403)


@login_not_required
def server_error(request):
    # Rendered without the request's context: whatever broke must not break the error page too.
    return HttpResponseServerError(loader.get_template("500.html").render())
