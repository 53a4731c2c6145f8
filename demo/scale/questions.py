"""The scale world's questions: the fixed questions of the benchmark's network, with exactly
`scale.QUESTION_SIZES` answers each (a third of them replies), asked and answered by its members
and the benchmark officials, for the question page at those sizes; indexed for search as the
services would index them (questions.index.reindex_questions)."""

from datetime import timedelta

from demo import scale
from demo.scale.words import COMMENT_PHRASES
from lessons.models import Audience
from networks.models import Attribution
from questions.index import reindex_questions
from questions.models import Answer, Question


class QuestionsBuilder:
    """Part of ScaleWorld (demo/scale/world.py), after OfficialsBuilder and LessonsBuilder."""

    def build_questions(self):
        rng = self.rng
        network = self.benchmark_network
        people = self.benchmark_ids + self.active_members[network][:40]
        question_id = self.copier.next_id(Question)
        answer_id = self.copier.next_id(Answer)
        questions, tags, answers = [], [], []
        for index, size in enumerate(scale.QUESTION_SIZES):
            pk = question_id + index
            author = rng.choice(self.benchmark_ids)
            asked = self.when(90, 30)
            questions.append(
                (
                    pk,
                    network,
                    None,
                    author,
                    self.officials[author],
                    scale.question_title(size),
                    self.paragraph("en", 2, 4),
                    "en",
                    Audience.NETWORK,
                    rng.choice(list(Attribution.values)),
                    Question.State.OPEN,
                    asked,
                    asked,
                )
            )
            tags += [(pk, tag) for tag in rng.sample(self.tags[:30], k=2)]
            tops = []
            for offset in sorted(rng.randint(60, 20 * 86400) for _ in range(size)):
                answer = answer_id + len(answers)
                responder = rng.choice(people)
                parent = rng.choice(tops) if tops and rng.random() < 0.35 else None
                if parent is None:
                    tops.append(answer)
                body = " ".join(rng.sample(COMMENT_PHRASES, k=rng.randint(1, 3)))
                answers.append(
                    (
                        answer,
                        pk,
                        responder,
                        self.officials[responder],
                        parent,
                        body,
                        rng.choice(list(Attribution.values)),
                        rng.random() < 0.05,
                        asked + timedelta(seconds=offset),
                    )
                )
        self.copier.copy(
            Question,
            [
                "id",
                "network",
                "working_group",
                "author",
                "author_country",
                "title",
                "body",
                "language",
                "audience",
                "attribution",
                "state",
                "created_at",
                "updated_at",
            ],
            questions,
        )
        self.copier.sync_sequence(Question)
        self.copier.copy_through(Question.tags.through, "question", "tag", tags)
        fields = [
            "id",
            "question",
            "author",
            "author_country",
            "parent",
            "body",
            "attribution",
            "is_helpful",
            "created_at",
        ]
        self.copier.copy(Answer, fields, answers)
        self.copier.sync_sequence(Answer)
        reindex_questions([row[0] for row in questions])
        self.say(f"{len(questions)} questions added, with {len(answers):,} answers")
