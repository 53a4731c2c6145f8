"""Make sure the daily and weekly digests are scheduled for the background worker.

Idempotent: run it at every deploy (and `make run` does, before the worker starts). Each run of
the digests schedules the next one itself; this command only starts the chain, or mends it if
the queue was emptied. `--send-now` sends what is waiting in digests at once (for the demo).
"""

from django.core.management.base import BaseCommand

from notifications import digests


class Command(BaseCommand):
    help = "Schedule the daily and weekly notification digests (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--send-now",
            action="store_true",
            help="Also send every digest that has something waiting, now.",
        )

    def handle(self, *args, send_now=False, **options):
        if send_now:
            for frequency in digests.DIGEST_FREQUENCIES:
                sent = digests.deliver_digests(frequency=frequency)
                self.stdout.write(f"{frequency} digests enqueued: {sent}")
        for frequency, when in digests.schedule_digests().items():
            self.stdout.write(f"Next {frequency} digests: {when:%Y-%m-%d %H:%M} UTC")
