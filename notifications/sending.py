"""Each email to an official is sent once, however often its delivery runs.

An email is written (`write_email`) in the transaction that decides it, under a key that names
it, with a SentEmail row: the key is unique, so a second writing of the same email (a digest
run again in its period) is refused. Its delivery (`deliver_email_once`, a task) sends it only
if its row says it has not been sent, and marks it sent in the same transaction; the row stays
locked meanwhile, so two deliveries of one email never both send. A worker that dies before
that transaction commits leaves the email unsent, and the task, queued again
(minilateral.worker), sends it then; one that dies after it leaves it sent, and the task, run
again, sends nothing. Between the mail server taking the email and the commit, a death cannot
be told apart from a failed send: the email is sent again, with the same Message-ID.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from minilateral.mail import send_now
from notifications.models import SentEmail


def digest_key(*, frequency, recipient_id, network_id, now=None):
    """The key of one digest: one per frequency, period (the UTC day, or the ISO week),
    recipient and network."""
    now = now or timezone.now()
    if frequency == "weekly":
        year, week, _day = now.isocalendar()
        period = f"{year}-W{week:02d}"
    else:
        period = now.date().isoformat()
    return f"digest:{frequency}:{period}:{recipient_id}:{network_id}"


def notification_key(notification_id):
    return f"notification:{notification_id}"


def already_written(key):
    return SentEmail.objects.filter(key=key).exists()


def message_id(key):
    """The email's Message-ID, the same however often it is sent: in the one case where a
    delivery cannot know whether it went (its worker died between handing the email to the
    mail server and recording it), the copy sent again is the same message, which mail
    stores recognise as one."""
    domain = urlsplit(settings.SITE_URL).hostname or "minilateral"
    return f"<{key.replace(':', '.')}@{domain}>"


def write_email(*, key, recipient, payload):
    """Record the email under `key` and queue its delivery, both in the caller's transaction."""
    SentEmail.objects.create(key=key, recipient=recipient)
    headers = {**(payload.get("headers") or {}), "Message-ID": message_id(key)}
    deliver_email_once.enqueue(key=key, **{**payload, "headers": headers})


@task()
def deliver_email_once(*, key, **payload):
    """Send the email written under `key` unless it was sent; returns whether it went now."""
    with transaction.atomic():
        record = SentEmail.objects.select_for_update().filter(key=key).first()
        if record is None or record.sent_at is not None:
            return False
        send_now(**payload)
        record.sent_at = timezone.now()
        record.save(update_fields=["sent_at"])
    return True
