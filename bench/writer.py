"""The busy platform of `make bench`: a writer that posts comments and edits lessons across all
networks at a steady rate, through the services (so every write does what a member's would:
search index, notifications, follows, the generations of remembered answers), until stopped or
its time is up.

    python bench/writer.py --rate 5 --seconds 60

Run by bench/run.py beside the read load of the busy rounds; prints how many writes it made.
"""

import argparse
import random
import signal
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.environment import production_like_django  # noqa: E402

# How many published lessons of each network the writer chooses from.
LESSONS_PER_NETWORK = 200


def writable(seed=2026):
    """[(lesson, a member who may comment on it)] over every network, published lessons whose
    author may still edit them, in a fixed shuffled order."""
    from lessons import access as lesson_access
    from lessons.models import Lesson
    from networks import access as network_access
    from networks.models import Network

    chosen = []
    for network in Network.objects.order_by("pk"):
        members = [
            m.user
            for m in network_access.active_memberships()
            .filter(network=network)
            .select_related("user")
            .order_by("pk")[:50]
        ]
        if len(members) < 2:
            continue
        lessons = (
            Lesson.objects.filter(
                network=network, state=Lesson.State.PUBLISHED, is_hidden=False, working_group=None
            )
            .select_related("network", "author")
            .order_by("-published_at", "-pk")[:LESSONS_PER_NETWORK]
        )
        for index, lesson in enumerate(lessons):
            reader = members[index % len(members)]
            if reader.pk == lesson.author_id:
                reader = members[(index + 1) % len(members)]
            if lesson_access.may_open_lesson(reader, lesson):
                chosen.append((lesson, reader))
    random.Random(seed).shuffle(chosen)  # noqa: S311  # nosec B311 (an order, not a secret)
    return chosen


def write_once(number, lesson, reader):
    """The number-th write: even ones a comment by a member, odd ones an edit by the author
    (a line added to the summary); a refused edit (the author left) comments instead."""
    from discussion import services as discussion
    from lessons import access as lesson_access
    from lessons import services as lessons

    if number % 2 and lesson_access.can_edit_lesson(lesson.author, lesson):
        fresh = type(lesson).objects.get(pk=lesson.pk)
        lessons.lesson_update(
            acting_user=lesson.author,
            lesson=fresh,
            data={"summary": f"{fresh.summary.rstrip()}\n\nUpdated ({number})."[-2000:]},
            tags=[tag.name for tag in fresh.tags.all()],
            version=fresh.version,
        )
        return "edit"
    discussion.comment_create(
        acting_user=reader, lesson=lesson, body=f"From the benchmark's writer ({number})."
    )
    return "comment"


def run(rate, seconds, *, limit=None, ready=None):
    """Write at `rate` a second for `seconds` (or `limit` writes), calling `ready` once the
    lessons are chosen: {"comment": n, "edit": n, "failed": n}."""
    chosen = writable()
    if not chosen:
        sys.exit("No published lesson with a member to write: nothing to write.")
    if ready is not None:
        ready()
    done = {"comment": 0, "edit": 0, "failed": 0}
    stopped = []
    previous = signal.signal(signal.SIGTERM, lambda *_: stopped.append(True))
    try:
        started = time.monotonic()
        number = 0
        while not stopped and time.monotonic() - started < seconds:
            if limit is not None and number >= limit:
                break
            lesson, reader = chosen[number % len(chosen)]
            try:
                done[write_once(number, lesson, reader)] += 1
            # A refused write (a closed discussion, a left author) is counted, not fatal.
            except Exception:  # nosec B112
                done["failed"] += 1
            number += 1
            wait = started + number / rate - time.monotonic()
            if wait > 0:
                time.sleep(wait)
    finally:
        signal.signal(signal.SIGTERM, previous)
    return done


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=5.0, help="writes a second")
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()

    import django

    production_like_django()  # here, not on import: a test importing this keeps its own
    django.setup()
    done = run(args.rate, args.seconds, ready=lambda: print("BENCH-READY", flush=True))
    print(f"BENCH-WRITES {done['comment']} {done['edit']} {done['failed']}", flush=True)


if __name__ == "__main__":
    main()
