"""Two of `make faults`' drills (scripts/faults.py runs them under its load):

- the task worker killed (SIGKILL) twice in the middle of a 500-recipient daily digest, once
  while the digests are written and once while they are sent: afterwards every recipient got
  their digest exactly once, counted in the mail the workers wrote (the console backend, in the
  workers' log);
- attachments whose writing fails (the row's insert, the caller's transaction, a removal
  rolled back, a lesson purged): afterwards, and once the daily sweep has run, the files on disk
  are exactly the files the rows name.
"""

import collections
import re
import signal
import time
from datetime import timedelta

RECIPIENTS = 500
DIGEST_LIMIT = 900  # seconds for the whole digest to be written and sent
TO = re.compile(r"^To: (\S+)$", re.M)
MESSAGE_ID = re.compile(r"^Message-ID: (\S+)$", re.M)


def _wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _kill_and_restart(stack, current, when):
    killed = stack.worker.pid
    stack.worker.send_signal(signal.SIGKILL)
    stack.worker.wait(timeout=10)
    current.notes.append(f"task worker {killed} killed {when}")
    stack.start_worker()


def kill_worker_mid_digest(stack, current, run_id):
    """The digest drill; returns the time from which the web's recovery is measured."""
    from django.db import connection

    from networks.models import Network, User
    from notifications import digests
    from notifications.models import Delivery, Notification, SentEmail

    network = Network.objects.order_by("pk").first()
    addresses = [f"digest-{run_id}-{number}@drill.invalid" for number in range(RECIPIENTS)]
    officials = User.objects.bulk_create(
        User(email=address, full_name=f"Drill official {n}") for n, address in enumerate(addresses)
    )
    Notification.objects.bulk_create(
        Notification(
            recipient=official,
            kind=Notification.Kind.JOIN_DECISION,
            network=network,
            data={"approved": False},
            delivery=Delivery.DAILY,
        )
        for official in officials
    )
    ours = SentEmail.objects.filter(recipient__email__startswith=f"digest-{run_id}-")
    log = stack.logs / "worker.log"
    log_start = log.stat().st_size if log.exists() else 0
    digests.send_digests.enqueue(frequency=Delivery.DAILY)
    connection.close()
    if not _wait_for(lambda: ours.count() >= RECIPIENTS // 10, 120):
        current.problems.append(f"the digest run wrote {ours.count()} digests in 120 s")
        return time.monotonic()
    _kill_and_restart(stack, current, f"after {ours.count()} of {RECIPIENTS} digests were written")
    if _wait_for(
        lambda: ours.filter(sent_at__isnull=False).count() >= RECIPIENTS // 2, DIGEST_LIMIT
    ):
        sent = ours.filter(sent_at__isnull=False).count()
        _kill_and_restart(stack, current, f"after {sent} of {RECIPIENTS} digests were sent")
    done = _wait_for(lambda: ours.filter(sent_at__isnull=False).count() >= RECIPIENTS, DIGEST_LIMIT)
    connection.close()
    if not done:
        current.problems.append(
            f"{ours.filter(sent_at__isnull=False).count()} of {RECIPIENTS} digests were sent "
            f"within {DIGEST_LIMIT} s"
        )
    time.sleep(1)  # the last deliveries' task results
    with log.open(encoding="utf-8", errors="replace") as written:
        written.seek(log_start)
        mail = written.read()
    messages = collections.defaultdict(list)
    for block in mail.split("\n" + "-" * 79 + "\n"):
        to, message_id = TO.search(block), MESSAGE_ID.search(block)
        if to and to.group(1) in addresses:
            messages[to.group(1)].append(message_id.group(1) if message_id else block)
    missing = [address for address in addresses if not messages[address]]
    twice = [address for address in addresses if len(set(messages[address])) > 1]
    again = sum(len(found) - len(set(found)) for found in messages.values())
    current.notes.append(
        f"{RECIPIENTS} recipients: {sum(1 for a in addresses if messages[a])} got their digest, "
        f"{len(twice)} got two different ones, {len(missing)} none"
        + (f"; {again} sent again with the same Message-ID" if again else "")
    )
    if missing:
        current.problems.append(f"{len(missing)} recipients got no digest: {missing[:3]}")
    if twice:
        current.problems.append(f"{len(twice)} recipients got two digests: {twice[:3]}")
    connection.close()
    return time.monotonic()  # the web was never down: measure from here


def files_follow_rows(current):
    """The files drill, in this process on the drills' own media folder."""
    from django.core.files.base import ContentFile
    from django.db import DatabaseError, connection, transaction
    from django.utils import timezone

    from demo.lessons import DEMO_PDF
    from lessons import files, services
    from lessons.models import Attachment, Lesson

    class Died(Exception):
        pass

    lesson = Lesson.objects.filter(state=Lesson.State.PUBLISHED).order_by("pk").first()
    author = lesson.author

    def attach():
        return services.attachment_add(
            acting_user=author, lesson=lesson, upload=ContentFile(DEMO_PDF, name="drill.pdf")
        )

    kept = attach()
    failures = 0
    original_save = Attachment.save
    Attachment.save = lambda *args, **kwargs: (_ for _ in ()).throw(DatabaseError("drill"))
    try:
        attach()
    except DatabaseError:
        failures += 1
    finally:
        Attachment.save = original_save
    for action in (attach, lambda: services.attachment_remove(acting_user=author, attachment=kept)):
        try:
            with transaction.atomic():
                action()
                raise Died
        except Died:
            failures += 1
    services.attachment_remove(acting_user=author, attachment=attach())

    def counts():
        return len(files.stored_attachment_files()), Attachment.objects.count()

    on_disk, rows = counts()
    removed = files.remove_orphaned_files(grace=timedelta(0), now=timezone.now())
    on_disk_after, rows_after = counts()
    named = set(Attachment.objects.values_list("file", flat=True))
    current.notes.append(
        f"{failures} injected failures; files/rows {on_disk}/{rows} before the daily sweep, "
        f"{on_disk_after}/{rows_after} after it ({removed} removed)"
    )
    if set(files.stored_attachment_files()) != named:
        current.problems.append(f"files on disk {on_disk_after} != rows {rows_after}")
    if on_disk - rows > 1:
        current.problems.append(
            f"{on_disk - rows} files without a row before the sweep (1 expected)"
        )
    connection.close()
