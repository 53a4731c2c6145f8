"""The scale world's endorsements: Zipf-distributed over the published lessons (about three
per lesson), by readers who may see them, never by the lesson's author."""

from datetime import timedelta

from demo.scale.rows import zipf_counts
from demo.scale.words import ENDORSEMENT_NOTES
from lessons.models import Endorsement

ENDORSEMENTS_PER_LESSON = 3


class EndorsementsBuilder:
    """Part of ScaleWorld (demo/scale/world.py): endorsements of the lessons LessonsBuilder
    left in `lesson_space`."""

    def build_endorsements(self):
        rng = self.rng
        lessons = sorted(self.lesson_space)
        counts = zipf_counts(
            rng, len(lessons), ENDORSEMENTS_PER_LESSON * len(lessons), exponent=0.7, cap=200
        )
        kinds = [Endorsement.Kind.USEFUL, Endorsement.Kind.TRYING, Endorsement.Kind.APPLIED]
        rows = []
        for lesson, count in zip(lessons, counts, strict=True):
            _network, _group, space, author, published = self.lesson_space[lesson]
            if not count:
                continue
            # Sampling one more and dropping the author is much cheaper than copying the space.
            readers = [u for u in rng.sample(space, k=min(count + 1, len(space))) if u != author]
            for user in readers[:count]:
                kind = rng.choices(kinds, [60, 25, 15])[0]
                note = rng.choice(ENDORSEMENT_NOTES) if kind == Endorsement.Kind.APPLIED else ""
                rows.append(
                    (
                        lesson,
                        user,
                        kind.value,
                        note,
                        published + timedelta(days=rng.randint(1, 200)),
                    )
                )
        self.copier.copy(Endorsement, ["lesson", "user", "kind", "note", "created_at"], rows)
        self.say(f"{len(rows):,} endorsements added")
