"""The scale world's comments: Zipf-distributed over the published lessons (about ten per
lesson, none above MAX_COMMENTS_PER_LESSON), with replies, mentions, edits, deletions and a
few hidden by a moderator, plus the fixed discussions of 20, 200 and 1,000 comments."""

from datetime import timedelta

from demo.scale.rows import zipf_counts
from demo.scale.words import COMMENT_PHRASES
from discussion.models import Comment
from networks.models import User

COMMENTS_PER_LESSON = 10  # on average, over the published lessons
MAX_COMMENTS_PER_LESSON = 1500


class DiscussionsBuilder:
    """Part of ScaleWorld (demo/scale/world.py): comments on the lessons LessonsBuilder
    left in `lesson_space`, by the people who may discuss them."""

    def build_comments(self, total_lessons):
        rng = self.rng
        discussed = sorted(pk for pk in self.lesson_space if pk not in self.fixed_lessons.values())
        counts = zipf_counts(
            rng,
            len(discussed),
            COMMENTS_PER_LESSON * total_lessons,
            exponent=0.8,
            cap=MAX_COMMENTS_PER_LESSON,
        )
        plan = list(zip(discussed, counts, strict=True))
        plan += [(pk, size) for size, pk in sorted(self.fixed_lessons.items())]
        fields = [
            "id",
            "lesson",
            "author",
            "parent",
            "body",
            "created_at",
            "edited_at",
            "deleted_at",
            "is_hidden",
            "hidden_by",
            "hidden_reason",
        ]
        next_id = self.copier.next_id(Comment)
        written = 0
        rows, mentions = [], []
        names = dict(User.objects.filter(pk__in=self.officials).values_list("pk", "full_name"))
        for lesson, count in plan:
            if not count:
                continue
            network, _group, space, author, published = self.lesson_space[lesson]
            fixed = lesson in self.fixed_lessons.values()
            people = self.benchmark_ids + space[:40] if fixed else space
            moderators = self.moderators.get(network, [])
            offsets = sorted(rng.randint(60, 120 * 86400) for _ in range(count))
            tops = []
            for offset in offsets:
                pk = next_id + written
                written += 1
                commenter = rng.choice(people)
                parent = rng.choice(tops) if tops and rng.random() < 0.35 else None
                if parent is None:
                    tops.append(pk)
                body = " ".join(rng.sample(COMMENT_PHRASES, k=rng.randint(1, 3)))
                if rng.random() < 0.03 and commenter != author and names.get(author):
                    body = f"@{names[author]} {body}"
                    mentions.append((pk, author))
                posted = published + timedelta(seconds=offset)
                roll = rng.random()
                hidden = roll < 0.005 and bool(moderators)
                rows.append(
                    (
                        pk,
                        lesson,
                        commenter,
                        parent,
                        body,
                        posted,
                        posted + timedelta(hours=2) if 0.005 <= roll < 0.035 else None,
                        posted + timedelta(days=1) if 0.035 <= roll < 0.045 else None,
                        hidden,
                        moderators[0] if hidden else None,
                        "Off topic." if hidden else "",
                    )
                )
            if len(rows) >= 100_000:
                self.copier.copy(Comment, fields, rows)
                self.say(f"{written:,} comments")
                rows = []
        self.copier.copy(Comment, fields, rows)
        self.copier.sync_sequence(Comment)
        self.copier.copy_through(Comment.mentions.through, "comment", "user", mentions)
        self.say(f"{written:,} comments added, {len(mentions):,} mentions")
