"""Digests and their schedule: one email per official and network, with what they may see when
it is sent, daily or weekly as they chose (notifications.services records the notifications and
renders the email).

`send_digests` is a task the worker runs on schedule; each run schedules the next
(`schedule_digest`), and `manage.py schedule_digests` starts the chain or mends it. The queue
stores the task by its dotted path (`send_digests.module_path`, notifications.digests.send_digests).
"""

from datetime import UTC, datetime, time, timedelta

from django.db import connection, transaction
from django.tasks import TaskResultStatus, task
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from lessons.markdown import markdown_to_text
from networks import access as network_access
from networks.models import Network, User
from notifications import sending, subjects
from notifications.models import Delivery, Notification
from notifications.services import _email, _mark, describe, inbox, preferences_of
from search import services as search_services

EmailStatus = Notification.EmailStatus

DIGEST_HOUR = 7  # UTC: before the working day in Europe and Africa, after it in Asia.
DIGEST_FREQUENCIES = (Delivery.DAILY, Delivery.WEEKLY)


@transaction.atomic
def deliver_digest(*, recipient_id, network_id, frequency):
    """Send one official the digest of one network; returns 1 if an email went, else 0.

    The waiting notifications are locked, then marked sent (or skipped, if the recipient may no
    longer see them) in the transaction that enqueues the email: a second run finds nothing.
    The email is written under a key unique to its period (notifications.sending): a run
    repeated in the same period writes no second digest, and its delivery sends it once.
    The sections that higher layers add (notifications.subjects.DigestSection: the questions
    still waiting for an answer) follow the notifications in the same email, and so do the new
    matches of the recipient's saved searches, in the one digest that carries them
    (`saved_search_digest`), recorded as told in the same transaction."""
    waiting = list(
        Notification.objects.select_for_update()
        .filter(
            recipient_id=recipient_id,
            network_id=network_id,
            delivery=frequency,
            email_status=EmailStatus.WAITING,
        )
        .order_by("created_at", "pk")
    )
    key = sending.digest_key(frequency=frequency, recipient_id=recipient_id, network_id=network_id)
    if sending.already_written(key):
        return 0  # this period's digest went; what waits now goes in the next one
    recipient = User.objects.get(pk=recipient_id)
    carries_alerts = saved_search_digest(recipient) == (network_id, frequency)
    if not waiting and not carries_alerts:
        return 0
    visible = list(inbox(recipient).filter(pk__in=[n.pk for n in waiting]).order_by("created_at"))
    shown = {n.pk for n in visible}
    _mark([n for n in waiting if n.pk not in shown], EmailStatus.SKIPPED)
    alerts = search_services.saved_search_alerts_take(owner=recipient) if carries_alerts else []
    if not visible and not alerts:
        return 0
    _mark(visible, EmailStatus.SENT)
    network = Network.objects.get(pk=network_id)
    with translation.override(recipient.email_language):  # the reader's, not the actors'
        items = [describe(n, recipient) for n in visible]
        sections = subjects.digest_sections(recipient, network, visible)
        if alerts:
            sections.append(_saved_search_section(alerts))
        label = str(Delivery(frequency).label)
    _email(
        recipient,
        network,
        key=key,
        template="digest",
        context={
            "items": items,
            "sections": sections,
            "frequency": frequency,
            "frequency_label": label,
        },
    )
    return 1


def saved_search_digest(recipient):
    """(network id, frequency) of the one digest that tells `recipient` of new matches of their
    saved searches: that of their first network whose email they did not turn off, at the
    frequency they chose for it, or daily if they chose each notification as it happens (the
    saved-searches page promises a digest). None if they have no such network."""
    networks = list(network_access.member_networks(recipient).order_by("pk"))
    for network_id, delivery in preferences_of(recipient, networks).items():
        if delivery == Delivery.NEVER:
            continue
        return network_id, delivery if delivery in DIGEST_FREQUENCIES else Delivery.DAILY
    return None


def _saved_search_section(alerts):
    heading = _("New lessons for your saved searches")
    items = [
        subjects.DigestItem(
            title=_("“%(lesson)s”, for your search “%(search)s”")
            % {"lesson": lesson.title, "search": saved.name},
            excerpt=Truncator(markdown_to_text(lesson.summary)).chars(300),
            url=lesson.get_absolute_url(),
        )
        for saved, lessons in alerts
        for lesson in lessons
    ]
    return heading, items


def deliver_digests(*, frequency):
    """Every digest of this frequency that has something waiting, and those that carry new
    matches of saved searches. Returns how many were sent."""
    pairs = set(
        Notification.objects.filter(email_status=EmailStatus.WAITING, delivery=frequency)
        .values_list("recipient_id", "network_id")
        .distinct()
    )
    for owner in search_services.saved_search_owners():
        carrier = saved_search_digest(owner)
        if carrier is not None and carrier[1] == frequency:
            pairs.add((owner.pk, carrier[0]))
    return sum(
        deliver_digest(recipient_id=recipient_id, network_id=network_id, frequency=frequency)
        for recipient_id, network_id in sorted(pairs)
    )


def next_digest_time(frequency, now=None):
    """The next daily run (at DIGEST_HOUR, UTC) or weekly run (Mondays then), after `now`."""
    now = (now or timezone.now()).astimezone(UTC)
    run = datetime.combine(now.date(), time(DIGEST_HOUR), tzinfo=UTC)
    if frequency == Delivery.WEEKLY:
        run += timedelta(days=(7 - run.weekday()) % 7)
        while run <= now:
            run += timedelta(days=7)
    else:
        while run <= now:
            run += timedelta(days=1)
    return run


@task()
def send_digests(*, frequency):
    """The scheduled run: send this frequency's digests, then schedule the next run. The daily
    run also deletes what is kept for a limited time (networks.services.purge_expired_records)
    and the attachment files no row names (lessons.files.remove_orphaned_files):
    it is the one chain of work that runs every day."""
    try:
        sent = deliver_digests(frequency=frequency)
        if frequency == Delivery.DAILY:  # after the digests: a failure here keeps them sent
            from lessons.files import remove_orphaned_files
            from networks.services import purge_expired_records

            purge_expired_records()
            remove_orphaned_files()
        return sent
    finally:
        schedule_digest(frequency)


# Any number of schedulers and digest runs may race; one lock lets them agree on one next run.
_SCHEDULE_LOCK = 0x4D4C_4447  # "MLDG"


@transaction.atomic
def schedule_digest(frequency, *, now=None):
    """Make sure the next run of this frequency's digests is waiting for the worker. Idempotent:
    `manage.py schedule_digests` and every run call it. Returns the time of the next run."""
    from django_tasks_db.models import DBTaskResult

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SCHEDULE_LOCK])
    existing = (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        .filter(task_path=send_digests.module_path, args_kwargs__kwargs__frequency=frequency)
        .order_by("run_after")
        .first()
    )
    if existing is not None:
        return existing.run_after
    run_after = next_digest_time(frequency, now)
    send_digests.using(run_after=run_after).enqueue(frequency=frequency)
    return run_after


def schedule_digests(now=None):
    return {frequency: schedule_digest(frequency, now=now) for frequency in DIGEST_FREQUENCIES}
