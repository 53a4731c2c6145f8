"""What the network services share: telling the affected official by email, the permission
check, locking a row before deciding on it, and how a person is named in messages."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minilateral.mail import send_templated_email

# Telling the affected official


def _absolute(path):
    return settings.SITE_URL + path


def _notify(recipients, *, subject, paragraphs, link=None, link_text=""):
    """Email each recipient (a user or an address) on their own: no one sees who else was told."""
    for recipient in recipients:
        email = getattr(recipient, "email", recipient)
        send_templated_email(
            to=[email],
            template="network_notice",
            context={
                "subject": subject,
                "paragraphs": paragraphs,
                "link_url": _absolute(link) if link else "",
                "link_text": link_text,
            },
        )


def _notify_network_member(user, network, *, subject, paragraphs):
    _notify(
        [user],
        subject=subject,
        paragraphs=paragraphs,
        link=network.get_absolute_url(),
        link_text=_("Open %(network)s") % {"network": network.name},
    )


# Privileged roles must use a second factor (access.requires_mfa); the sign-in enforces it.
_SECOND_FACTOR_NOTE = gettext_lazy(
    "This role signs in with a second factor: if you have none yet, Minilateral will ask you "
    "to set one up the next time you open a page."
)


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def _locked(instance):
    """The row again, locked for the rest of the transaction: a stale copy decides nothing."""
    return type(instance).objects.select_for_update().get(pk=instance.pk)


def _person(user):
    return user.get_full_name()
