"""One submission, one result.

A form that creates something carries a one-time token (`{% submission_token %}` from the
`submissions` template library renders it). `OnceMiddleware` runs a POST that carries one in a
single transaction, which starts by recording the token (a primary key): a double click, a
back-and-resubmit or two concurrent POSTs of the same form then do the work once, and the
repeat is sent where the first one was (the result page, with no error):

- the repeat's INSERT of the same token waits for the first one's transaction and then fails,
  so it never runs the view; it reads where the first one went, and redirects there;
- a first submission that did not succeed (a form error shown again, a refusal page, a sign-in
  or reauthentication asked for) gives its token back, so the form can be sent again;
- anything that fails in the view rolls back the token with the rest.

The token is the official's own: another account's token, or one from another form, is a bad
request. A POST without a token (an API-like client, an old page) is served as before.
"""

import uuid
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from networks.models import FormSubmission

FIELD = "submission_token"
KEPT = timedelta(days=1)
# Redirects that are not a result: the request is asked to sign in again first.
_NOT_RESULTS = ("account_login", "account_reauthenticate", "mfa_reauthenticate")


def hidden_field():
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4())


def _token(request):
    if request.method != "POST" or not request.user.is_authenticated:
        return None
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def _is_result(response):
    if response.status_code not in (301, 302, 303) or not response.get("Location"):
        return False
    location = response["Location"]
    return not any(location.startswith(reverse(name)) for name in _NOT_RESULTS)


def _replay(request, token):
    first = FormSubmission.objects.filter(token=token).first()
    if first is None or first.user_id != request.user.pk or first.path != request.path:
        raise SuspiciousOperation("A form's one-time token used by another account or form.")
    messages.info(request, _("That form was sent twice; it was done once."))
    return redirect(first.result_url)


class OnceMiddleware:
    """Last in MIDDLEWARE, so that the transaction holds the view and nothing else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _token(request)
        if token is None:
            return self.get_response(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    FormSubmission.objects.create(
                        token=token, user=request.user, path=request.path[:300]
                    )
            except IntegrityError:
                return _replay(request, token)
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)
            elif _is_result(response):
                FormSubmission.objects.filter(token=token).update(result_url=response["Location"])
                FormSubmission.objects.filter(
                    user=request.user, created_at__lt=timezone.now() - KEPT
                ).delete()
            else:
                FormSubmission.objects.filter(token=token).delete()
            return response
