"""What the network services share: telling the affected official by email, the permission
check, locking a row before deciding on it, and how a person is named in messages."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minilateral.mail import send_templated_email
from networks.models import User

# Telling the affected official


def _absolute(path):
    return settings.SITE_URL + path


def language_of(recipient):
    """The language an email to `recipient` is written in: the recipient's, never the language
    of whoever caused it (their request's language says nothing of what the recipient reads).

    An official: their `email_language`. A bare address (an invitation, or its withdrawal,
    sent to someone who may have no account yet): the language of the account with that
    address if there is one, since that person has said what they read; else the site's
    default, settings.LANGUAGE_CODE, the language a newcomer meets on the site before choosing
    one. An invitation records no language, and the inviter's is no guide to the invitee's."""
    if isinstance(recipient, str):
        account = User.objects.filter(email__iexact=recipient).first()
        if account is None:
            return settings.LANGUAGE_CODE
        recipient = account
    return recipient.email_language


def _notify(recipients, *, compose, link=None):
    """Email each recipient (a user or an address) on their own: no one sees who else was told.

    `compose()` returns the email's words: {"subject": ..., "paragraphs": [...]}, and
    "link_text" when there is a `link`. It is called once per recipient, in the recipient's
    language (`language_of`), so every string it translates is in theirs."""
    for recipient in recipients:
        email = getattr(recipient, "email", recipient)
        language = language_of(recipient)
        with translation.override(language):
            words = compose()
        send_templated_email(
            to=[email],
            template="network_notice",
            language=language,
            context={
                "subject": words["subject"],
                "paragraphs": words["paragraphs"],
                "link_url": _absolute(link) if link else "",
                "link_text": words.get("link_text", ""),
            },
        )


def _notify_network_member(user, network, *, compose):
    """`_notify` one official, with a link to the network's home."""

    def words():
        return {"link_text": _("Open %(network)s") % {"network": network.name}, **compose()}

    _notify([user], compose=words, link=network.get_absolute_url())


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
