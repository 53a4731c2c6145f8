"""What networks does when the frame announces something (connected in networks/apps.py)."""

import logging

from django.db import DatabaseError

from networks.middleware import client_ip_address
from networks.models import AccessDenial

security_log = logging.getLogger("minilateral.security")


def record_refusal(sender, *, request, user, status, path, **kwargs):
    """Keep a refused access (retention page: REFUSED_ACCESS_KEPT_DAYS); a failure to write it
    never turns the refusal page into an error."""
    try:
        AccessDenial.objects.create(
            user=user,
            status=status,
            method=request.method[:8],
            path=path,
            ip_address=client_ip_address(request),
        )
    except DatabaseError:
        security_log.exception("could not record a refused access")
