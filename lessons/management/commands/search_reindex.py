"""Write the search vector of every lesson again: after a bulk load that went around the lesson
services (they reindex what they write), or after a change to what is indexed."""

from django.core.management.base import BaseCommand

from lessons.models import Lesson
from lessons.search import reindex_lessons


class Command(BaseCommand):
    help = "Reindex every lesson for search (in batches). Safe to run at any time."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000, help="lessons per transaction")

    def handle(self, *args, batch, **options):
        ids = list(Lesson.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), batch):
            reindex_lessons(ids[start : start + batch])
            self.stdout.write(f"{min(start + batch, len(ids))} of {len(ids)} lessons indexed")
        self.stdout.write(self.style.SUCCESS(f"{len(ids)} lessons indexed for search."))
