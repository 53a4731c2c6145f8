"""`manage.py worker`: the background worker. django-tasks-db's `db_worker` with its options,
which also re-queues the tasks of workers that died and rides out database outages
(minilateral/worker.py). Each process takes a new worker id of its own."""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from minilateral.worker import RecoveringWorker


class Command(db_worker.Command):
    help = "Run the background worker (db_worker that recovers tasks its dead peers left running)"

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        exclude_queues,
        **options,
    ):
        self.configure_logging(verbosity)
        worker = RecoveringWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id="",  # replaced by a new "mlw-" id
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
