"""The demo's questions (seeded after the lessons): one answered and turned helpful, one in a
working group still waiting for answers, and one asked of every network under the Chatham
House rule, so `make run` shows each kind. Idempotent: each carries a fixed creation token."""

import uuid
from datetime import timedelta

from django.utils import timezone

from networks.models import Attribution, Network
from notifications import services as notifications
from questions import services as questions
from questions.models import Question

_DEMO_TOKENS = uuid.UUID("71756573-7469-6f6e-732d-64656d6f2121")

QUESTIONS = [
    {
        "key": "wallet",
        "asker": "lucia.perez@gub.uy",
        "group": None,
        "title": "Has anyone moved their national ID app into a wallet? What broke?",
        "body": (
            "Uruguay plans to move its identity app into a wallet next year. What went wrong "
            "for you in the first months, and what would you do differently?"
        ),
        "audience": "network",
        "attribution": Attribution.CHATHAM,
        "tags": ["digital identity", "wallets"],
        "answers": [
            (
                "kadri.tamm@riik.ee",
                "The helpdesk, not the technology: plan for **three times** the calls in the "
                "first month, and train counter staff before launch.",
                Attribution.NAMED,
                True,
            ),
            (
                "joao.silva@gov.pt",
                "Older users kept the old app for a year. Keep both running longer than you think.",
                Attribution.CHATHAM,
                False,
            ),
        ],
    },
    {
        "key": "certification",
        "asker": "minjun.kim@korea.kr",
        "group": "digital-identity",
        "title": "Wallet certification labs: who tested yours?",
        "body": (
            "We need an independent lab for our wallet's security certification. Who did yours?"
        ),
        "audience": "group",
        "attribution": Attribution.COUNTRY,
        "tags": ["digital identity", "security"],
        "deadline": 30,
        "answers": [],
    },
    {
        "key": "cloud-exit",
        "asker": "joao.silva@gov.pt",
        "group": None,
        "title": "Cloud exit clauses: did yours hold when you needed them?",
        "body": (
            "Has any government actually used the exit clause of a cloud contract? "
            "Did the data come back in a usable form, and how long did it take?"
        ),
        "audience": "all_networks",
        "attribution": Attribution.CHATHAM,
        "tags": ["cloud", "procurement"],
        "answers": [],
    },
]


def seed_questions(users):
    network = Network.objects.get(slug="digital-nations")
    with notifications.without_email():
        for spec in QUESTIONS:
            token = uuid.uuid5(_DEMO_TOKENS, spec["key"])
            if Question.objects.filter(creation_token=token).exists():
                continue
            group = network.working_groups.get(slug=spec["group"]) if spec["group"] else None
            days = spec.get("deadline")
            question = questions.question_ask(
                acting_user=users[spec["asker"]],
                network=network,
                working_group=group,
                title=spec["title"],
                body=spec["body"],
                audience=spec["audience"],
                attribution=spec["attribution"],
                language="en",
                tags=spec["tags"],
                deadline=timezone.localdate() + timedelta(days=days) if days else None,
                creation_token=token,
            )
            for email, body, attribution, helpful in spec["answers"]:
                answer = questions.answer_post(
                    acting_user=users[email],
                    question=question,
                    body=body,
                    attribution=attribution,
                    creation_token=uuid.uuid5(_DEMO_TOKENS, f"{spec['key']}/{email}"),
                ).answer
                if helpful:
                    questions.answer_mark_helpful(acting_user=users[spec["asker"]], answer=answer)
