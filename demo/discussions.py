"""The demo's discussions (seeded by seed_lessons in demo/lessons.py, after the lessons): comments
with replies and mentions, so the demo accounts have unread notifications, and a comment flagged
into a moderator's queue."""

import uuid

from discussion import services as discussion
from lessons.models import Lesson

# Discussions: lesson title -> comments (key, author, text, key of the comment replied to).
DISCUSSIONS = {
    "Digital identity wallet: trust came before features": [
        (
            "training",
            "minjun.kim@korea.kr",
            "How did you train the post office staff? We plan the same with community centres.",
            None,
        ),
        (
            "training-answer",
            "lucia.perez@gub.uy",
            "@Min-jun Kim two half-days, and a help line only for counter staff. "
            "The help line mattered **more** than the training.",
            "training",
        ),
        (
            "audit",
            "kadri.tamm@riik.ee",
            "The published audit is what I would like to copy. @João Silva, could Portugal's "
            "security team review ours the same way?",
            None,
        ),
        (
            "audit-answer",
            "joao.silva@gov.pt",
            "Happy to. Send it over and we will set up a call.",
            "audit",
        ),
    ],
    "AI chatbot for tax questions: accuracy was not the hard part": [
        (
            "hand-over",
            "lucia.perez@gub.uy",
            "What did the hand-over to an agent look like in the end?",
            None,
        ),
        (
            "hand-over-answer",
            "minjun.kim@korea.kr",
            "A button on every answer: *talk to a person*. Waiting times rose a little; "
            "complaints fell by half.",
            "hand-over",
        ),
        (
            "benefits",
            "joao.silva@gov.pt",
            "@Lucía Pérez we saw the same in our benefits pilot: design the exit first.",
            None,
        ),
    ],
    "Biometric matching at the border: the false rejections we did not expect": [
        (
            "thresholds",
            "kadri.tamm@riik.ee",
            "Did you publish the threshold tests? This is what our group should compare.",
            None,
        ),
    ],
    "Real-time payments: interoperability from the first day": [
        (
            "small-banks",
            "wanjiru.kamau@go.ke",
            "@Priya Sharma how long did it take the smaller banks to join the switch?",
            None,
        ),
        (
            "small-banks-answer",
            "priya.sharma@gov.in",
            "About eighteen months for the last of them; a shared technical service provider "
            "helped the smallest.",
            "small-banks",
        ),
    ],
}

_DEMO_TOKENS = uuid.UUID("6d696e69-6c61-7465-7261-6c2d64656d6f")


def seed_discussions(users):
    for title, comments in DISCUSSIONS.items():
        lesson = (
            Lesson.objects.select_related("network", "working_group")
            .filter(title=title)
            .order_by("pk")
            .first()
        )
        posted = {}
        for key, email, body, parent_key in comments:
            token = uuid.uuid5(_DEMO_TOKENS, f"{title}/{key}")
            # The token makes this idempotent: posting again finds the comment already made.
            posted[key] = discussion.comment_create(
                acting_user=users[email],
                lesson=lesson,
                body=body,
                parent=posted[parent_key].comment if parent_key else None,
                creation_token=token,
            )


# A comment in João's queue: flagged by two members, one short of Digital Nations' threshold,
# so it is still shown while it waits for him.
COMMENT_FLAGS = [
    (
        "AI chatbot for tax questions: accuracy was not the hard part",
        "hand-over-answer",
        [
            (
                "lucia.perez@gub.uy",
                "inaccurate",
                "Complaints fell by half in the pilot month only, as far as I know.",
            ),
            ("kadri.tamm@riik.ee", "other", "Could the figures get a source before we quote them?"),
        ],
    ),
]


def seed_comment_flags(users):
    from discussion.models import Comment
    from moderation import services as moderation

    for title, key, flags in COMMENT_FLAGS:
        comment = Comment.objects.get(creation_token=uuid.uuid5(_DEMO_TOKENS, f"{title}/{key}"))
        if comment.flags.exists():
            continue
        for email, reason, note in flags:
            moderation.comment_flag_raise(
                acting_user=users[email], comment=comment, reason=reason, note=note
            )
