"""Each email is sent once: a digest run that dies midway and is queued again sends no one's
digest twice and skips no one; an email whose delivery is queued again after it went (its
worker died before recording the task done) is not sent again."""

import collections
import itertools
from unittest import mock

import pytest
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from networks.models import Country, User
from notifications import digests
from notifications.models import Delivery, Notification, SentEmail

RECIPIENTS = 40
DIES_AFTER = 15


class WorkerKilled(BaseException):
    """The worker process dying mid-run, as far as the run can tell."""


def _queue_finished_tasks_again():
    """What minilateral.worker does with the tasks of a worker that died before recording them
    done: they are READY again, and run from their start."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).update(
        status=TaskResultStatus.READY, finished_at=None
    )


def _officials_waiting_for_their_digest(demo):
    denmark = Country.objects.get(code="DK")
    officials = []
    for number in range(RECIPIENTS):
        official = User.objects.create(
            email=f"official.{number}@digst.dk", full_name=f"Official {number}", country=denmark
        )
        Notification.objects.create(
            recipient=official,
            kind=Notification.Kind.JOIN_DECISION,
            network=demo.dpi,
            data={"approved": False},
            delivery=Delivery.DAILY,
        )
        officials.append(official)
    return officials


def test_a_digest_run_killed_midway_and_run_again_emails_each_recipient_exactly_once(
    demo, mailoutbox, run_worker
):
    officials = _officials_waiting_for_their_digest(demo)
    deliver_digest, calls = digests.deliver_digest, itertools.count()

    def dies_midway(**kwargs):
        if next(calls) == DIES_AFTER:
            raise WorkerKilled
        return deliver_digest(**kwargs)

    with mock.patch.object(digests, "deliver_digest", dies_midway), pytest.raises(WorkerKilled):
        digests.deliver_digests(frequency=Delivery.DAILY)
    run_worker()
    assert _queue_finished_tasks_again() >= DIES_AFTER  # their emails went; queued again
    run_worker()
    # The run, queued again, resumes; then it and its emails are queued once more.
    digests.deliver_digests(frequency=Delivery.DAILY)
    run_worker()
    assert digests.deliver_digests(frequency=Delivery.DAILY) == 0
    _queue_finished_tasks_again()
    run_worker()

    emailed = collections.Counter(address for message in mailoutbox for address in message.to)
    assert {official.email: emailed[official.email] for official in officials} == {
        official.email: 1 for official in officials
    }
    message_ids = {message.extra_headers["Message-ID"] for message in mailoutbox}
    assert len(message_ids) == len(mailoutbox)
    assert SentEmail.objects.filter(recipient__in=officials, sent_at__isnull=False).count() == len(
        officials
    )


def test_what_arrives_after_the_periods_digest_waits_for_the_next_one(demo, mailoutbox, run_worker):
    (official,) = _officials_waiting_for_their_digest(demo)[:1]
    assert digests.deliver_digests(frequency=Delivery.DAILY) >= 1
    later = Notification.objects.create(
        recipient=official,
        kind=Notification.Kind.JOIN_DECISION,
        network=demo.dpi,
        data={"approved": True},
        delivery=Delivery.DAILY,
    )
    digests.deliver_digests(frequency=Delivery.DAILY)  # the same day: run again
    run_worker()
    assert [message.to for message in mailoutbox].count([official.email]) == 1
    later.refresh_from_db()
    assert later.email_status == Notification.EmailStatus.WAITING
