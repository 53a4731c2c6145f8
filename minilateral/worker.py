"""The background worker (`manage.py worker`): django-tasks-db's `db_worker`, plus what it lacks
when a worker dies.

django-tasks-db marks a task RUNNING when a worker claims it, and nothing ever looks at it again
if that worker dies (SIGKILL, out of memory, a lost machine): the task stays RUNNING for ever.
And its worker exits on the first database error, so a PostgreSQL restart stops it. This worker:

- holds a PostgreSQL advisory lock named after its worker id for as long as it lives, on a
  connection of its own; PostgreSQL releases it when the process dies, however it dies;
- at start-up and every RECOVER_EVERY seconds, puts back to READY each RUNNING task whose worker
  (one of these, by its id's prefix) no longer holds its lock, or marks it FAILED once workers
  have died under it MAX_ATTEMPTS times (a task that kills its worker must not loop for ever);
- rides out a database outage (a restart, terminated connections): it waits and reconnects
  instead of exiting. It then takes a new worker id, so that the task it was running when the
  database went away is seen orphaned and re-queued like any other.

A re-queued task runs again from its start, so tasks must be safe to repeat (the app's are: each
marks what it sent in the transaction that sends it). Tasks claimed by a plain `db_worker`
(without the lock) are never touched.
"""

import contextlib
import hashlib
import logging
import struct
import threading
import time

from django.db import DatabaseError, InterfaceError, OperationalError, connections, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("minilateral.worker")

WORKER_ID_PREFIX = "mlw-"
LOCK_NAMESPACE = 0x4D4C_574B  # "MLWK": the first key of the two-key advisory locks
MAX_ATTEMPTS = 3
RECOVER_EVERY = 30  # seconds
PING_EVERY = 5  # seconds: how often the liveness connection is checked
OUTAGE_WAIT = (0.5, 5)  # seconds: first and longest wait while the database is away


class WorkerDied(Exception):
    """Recorded on a task that its workers died running MAX_ATTEMPTS times."""


def new_worker_id():
    return WORKER_ID_PREFIX + get_random_string(24)


def lock_key(worker_id):
    """The second key of a worker's advisory lock: 32 bits of a hash of its id."""
    return struct.unpack(">i", hashlib.sha256(worker_id.encode()).digest()[:4])[0]


def worker_is_alive(cursor, worker_id):
    """True while some session holds `worker_id`'s lock (its worker lives). Asks by trying to
    take the lock; when that works, the worker is gone, and the lock is given back at once."""
    cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, lock_key(worker_id)])
    if not cursor.fetchone()[0]:
        return True
    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, lock_key(worker_id)])
    return False


def recover_orphaned_tasks(*, backend_name="default", using="default"):
    """Re-queue the RUNNING tasks whose worker died; fail those that died MAX_ATTEMPTS times.
    Returns (re-queued ids, failed ids). Safe to run from any number of workers at once."""
    requeued, failed = [], []
    with transaction.atomic(using=using):
        running = (
            DBTaskResult.objects.using(using)
            .running()
            .filter(backend_name=backend_name)
            .select_for_update(skip_locked=True)
        )
        with connections[using].cursor() as cursor:
            for result in running:
                worker_id = result.worker_ids[-1] if result.worker_ids else ""
                if not worker_id.startswith(WORKER_ID_PREFIX):
                    continue  # a plain db_worker's: nothing tells whether it lives
                if worker_is_alive(cursor, worker_id):
                    continue
                if len(result.worker_ids) >= MAX_ATTEMPTS:
                    result.status = TaskResultStatus.FAILED
                    result.finished_at = timezone.now()
                    result.exception_class_path = f"{__name__}.{WorkerDied.__qualname__}"
                    result.traceback = (
                        f"{WorkerDied.__qualname__}: the worker running this task died "
                        f"{len(result.worker_ids)} times; it is not run again.\n"
                    )
                    result.save(
                        update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                    )
                    failed.append(str(result.pk))
                else:
                    result.status = TaskResultStatus.READY
                    result.started_at = None
                    result.save(update_fields=["status", "started_at"])
                    requeued.append(str(result.pk))
    for pk in requeued:
        logger.warning("Task id=%s was left running by a dead worker: queued again.", pk)
    for pk in failed:
        logger.error("Task id=%s killed its worker %s times: marked failed.", pk, MAX_ATTEMPTS)
    return requeued, failed


class Liveness:
    """The advisory lock that says a worker id lives, on a connection of its own (the worker's
    own connection is closed and reopened between tasks, which would drop the lock)."""

    def __init__(self, using="default"):
        self.using = using
        self.worker_id = None
        self._connection = None
        self._lock = threading.Lock()

    def _open(self):
        wrapper = connections[self.using]
        with wrapper.wrap_database_errors:  # the driver's errors as Django's
            connection = wrapper.get_new_connection(wrapper.get_connection_params())
        connection.autocommit = True
        return connection

    def hold(self, worker_id):
        """Hold `worker_id`'s lock (and no other). Raises a database error when unreachable."""
        with self._lock:
            self._close()
            connection = self._open()
            try:
                with connections[self.using].wrap_database_errors, connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, lock_key(worker_id)]
                    )
            except Exception:
                connection.close()
                raise
            self._connection, self.worker_id = connection, worker_id

    def check(self):
        """Take the lock again if its connection was lost (terminated, server restarted)."""
        with self._lock:
            if self._connection is None or self.worker_id is None:
                return
            try:
                with self._connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                return
            except Exception:  # any failure means the lock is gone
                self._close()
        logger.warning("The worker's liveness connection was lost: taking its lock again.")
        self.hold(self.worker_id)

    def _close(self):
        if self._connection is not None:
            with contextlib.suppress(Exception):  # it is being thrown away
                self._connection.close()
            self._connection = None

    def close(self):
        with self._lock:
            self._close()


class RecoveringWorker(Worker):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.worker_id = new_worker_id()
        self.liveness = Liveness()
        self._stop = threading.Event()

    def _keep_alive(self):
        """The background thread: keep the lock held, re-queue orphans now and then."""
        last_recovery = time.monotonic()
        while not self._stop.wait(PING_EVERY):
            try:
                self.liveness.check()
                if time.monotonic() - last_recovery >= RECOVER_EVERY:
                    last_recovery = time.monotonic()
                    recover_orphaned_tasks(backend_name=self.backend_name)
            except DatabaseError as error:
                logger.warning("Worker upkeep failed (%s); trying again shortly.", error)
            except Exception:  # the thread must not die: it holds the worker's lock
                logger.exception("Worker upkeep failed; trying again shortly.")
            finally:
                connections.close_all()  # this thread's own connections

    def _start(self, worker_id):
        """Become `worker_id` and re-queue orphans, waiting out a database outage."""
        wait = OUTAGE_WAIT[0]
        while True:
            try:
                self.liveness.hold(worker_id)
                self.worker_id = worker_id
                recover_orphaned_tasks(backend_name=self.backend_name)
                return
            except (OperationalError, InterfaceError) as error:
                logger.warning("The database is unreachable (%s); waiting %.1f s.", error, wait)
                connections.close_all()
                time.sleep(wait)
                wait = min(wait * 2, OUTAGE_WAIT[1])

    def run(self):
        self._start(self.worker_id)
        upkeep = threading.Thread(target=self._keep_alive, name="worker-upkeep", daemon=True)
        upkeep.start()
        try:
            while True:
                try:
                    return super().run()
                except (OperationalError, InterfaceError) as error:
                    if not self.running:
                        raise
                    logger.warning("The database went away (%s); reconnecting.", error)
                    self.running_task = False
                    connections.close_all()
                    time.sleep(OUTAGE_WAIT[0])
                    # A new id: the task this worker was running is now an orphan, re-queued.
                    self._start(new_worker_id())
        finally:
            self._stop.set()
            self.liveness.close()
