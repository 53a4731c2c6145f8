"""Request-wide context the services need without every view passing it along."""

import contextvars

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied

_ip_address = contextvars.ContextVar("audit_ip_address", default=None)


def current_ip_address():
    """The address of the request being served (for audit events), or None outside a request."""
    return _ip_address.get()


def client_ip_address(request):
    # allauth's reading of the client address honours ALLAUTH_TRUSTED_PROXY_COUNT.
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _ip_address.set(client_ip_address(request))
        try:
            return self.get_response(request)
        finally:
            _ip_address.reset(token)
