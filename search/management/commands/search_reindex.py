"""Write the search vector of every lesson and comment again: after a bulk load that went around
the services (they reindex what they write), or after a change to what is indexed."""

from django.core.management.base import BaseCommand

from discussion.models import Comment
from lessons.models import Lesson
from search.index import reindex_comments, reindex_lessons


class Command(BaseCommand):
    help = "Reindex every lesson and comment for search (in batches). Safe to run at any time."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000, help="lessons per transaction")

    def handle(self, *args, batch, **options):
        ids = list(Lesson.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), batch):
            reindex_lessons(ids[start : start + batch])
            self.stdout.write(f"{min(start + batch, len(ids))} of {len(ids)} lessons indexed")
        self.stdout.write(self.style.SUCCESS(f"{len(ids)} lessons indexed for search."))
        ids = list(Comment.objects.order_by("pk").values_list("pk", flat=True))
        comment_batch = batch * 10
        for start in range(0, len(ids), comment_batch):
            reindex_comments(ids[start : start + comment_batch])
            self.stdout.write(
                f"{min(start + comment_batch, len(ids))} of {len(ids)} comments indexed"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(ids)} comments indexed for search."))
