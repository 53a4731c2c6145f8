"""One build of the scale world, table by table: `ScaleWorld` runs the builders of this package
(officials.py, lessons.py, discussions.py, endorsements.py, questions.py, index.py), each a part
of it that reads what the ones before it left on the world.

Deterministic: the same seed on the same demo world builds the same rows. Rows go in with
PostgreSQL's COPY (demo/scale/rows.py), in one transaction, then the search index is written in
SQL (`search.index.reindex_lessons`, as the services would, the comments with their lessons) and
`VACUUM ANALYZE` runs.
"""

import random
import time
from datetime import UTC, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction

from demo import scale
from demo.management.commands.seed_demo import DEMO_PASSWORD
from demo.scale.discussions import DiscussionsBuilder
from demo.scale.endorsements import EndorsementsBuilder
from demo.scale.index import SearchIndexBuilder
from demo.scale.lessons import LessonsBuilder
from demo.scale.officials import OfficialsBuilder
from demo.scale.questions import QuestionsBuilder
from demo.scale.rows import Copier
from discussion.models import Comment
from lessons.models import Audience, Endorsement, Lesson, Tag
from networks.models import Country, Membership, Network, User, WorkingGroup
from questions.models import Answer, Question

DEFAULT_SEED = 2026
# Every timestamp is counted back from here, not from now, so that a seed builds the same rows.
REFERENCE_TIME = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


class ScaleWorld(
    OfficialsBuilder,
    LessonsBuilder,
    DiscussionsBuilder,
    EndorsementsBuilder,
    QuestionsBuilder,
    SearchIndexBuilder,
):
    """Progress goes to `stdout` (the command's, styled with its `style`)."""

    def __init__(self, *, seed, stdout, style):
        self.stdout = stdout
        self.style = style
        # Test data, not secrets: a seeded generator, so that a seed builds the same world.
        self.rng = random.Random(seed)  # noqa: S311  # nosec B311

    def populate(self, *, lessons, networks=None, countries=None, officials=None, vacuum=True):
        """Build the world (on the demo world, seeded first if it is missing) in one transaction,
        index it, vacuum it unless told not to, and report what the database holds. Sizes left
        out follow from `lessons`."""
        self.started = time.monotonic()
        if not Network.objects.filter(slug="digital-nations").exists():
            self.say("The demo world is missing: running seed_demo first.")
            call_command("seed_demo", force=True, stdout=self.stdout)
        sizes = {
            "lessons": lessons,
            "networks": networks or min(50, max(4, lessons // 2000)),
            "countries": countries or min(200, max(20, lessons // 500)),
            "officials": max(
                scale.BENCHMARK_OFFICIAL_COUNT + 20,
                officials or min(5000, max(60, lessons // 20)),
            ),
        }
        self.say("Building " + ", ".join(f"{value:,} {name}" for name, value in sizes.items()))
        with transaction.atomic(), connection.cursor() as cursor:
            self.copier = Copier(cursor)
            self.build(**sizes)
            self.write_search_index()
        if vacuum:
            self.vacuum()
        self.report()

    def say(self, message):
        elapsed = time.monotonic() - self.started if hasattr(self, "started") else 0
        self.stdout.write(f"[{elapsed:6.1f}s] {message}")
        self.stdout.flush()

    def report(self):
        counts = {
            "countries": Country.objects.count(),
            "networks": Network.objects.count(),
            "officials": User.objects.count(),
            "memberships": Membership.objects.count(),
            "working groups": WorkingGroup.objects.count(),
            "lessons": Lesson.objects.count(),
            "published lessons": Lesson.objects.filter(state=Lesson.State.PUBLISHED).count(),
            "public lessons": Lesson.objects.filter(
                state=Lesson.State.PUBLISHED, audience=Audience.PUBLIC
            ).count(),
            "comments": Comment.objects.count(),
            "questions": Question.objects.count(),
            "answers": Answer.objects.count(),
            "endorsements": Endorsement.objects.count(),
            "tags": Tag.objects.count(),
            "lesson tags": Lesson.tags.through.objects.count(),
        }
        for name, value in counts.items():
            self.stdout.write(f"  {name}: {value:,}")
        elapsed = time.monotonic() - self.started
        self.stdout.write(self.style.SUCCESS(f"The scale world is ready ({elapsed:.0f} s)."))

    # The world, table by table

    def build(self, *, lessons, networks, countries, officials):
        self.password = make_password(DEMO_PASSWORD)  # hashed once: one hash for everyone
        self.build_countries(countries)
        self.build_networks(networks)
        self.build_officials(officials)
        self.build_memberships()
        self.build_working_groups()
        self.build_tags()
        self.build_lessons(lessons)
        self.build_comments(lessons)
        self.build_endorsements()
        self.build_questions()

    def when(self, days_back_max, days_back_min=0):
        seconds = self.rng.randint(int(days_back_min * 86400), int(days_back_max * 86400))
        return REFERENCE_TIME - timedelta(seconds=seconds)
