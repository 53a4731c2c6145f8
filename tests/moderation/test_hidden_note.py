"""Why a lesson or comment is hidden is shown in the reader's language: flags store no words
(`hidden_note` writes them when shown), a moderator's own reason is shown as written, and the
English words flags once stored are taken out of lessons, comments and notifications."""

import importlib

from django.apps import apps

from discussion.models import Comment
from lessons.models import Lesson
from notifications.models import Notification

FLAGS_NOTE = "Flagged by several members; waiting for a moderator."


def _migration(name):
    return importlib.import_module(name)


def test_hidden_note_says_why_flags_or_a_moderator_hid_it(demo, comment):
    lesson = comment.lesson
    assert lesson.hidden_note == ""
    assert comment.hidden_note == ""
    lesson.is_hidden = comment.is_hidden = True
    assert lesson.hidden_note == FLAGS_NOTE
    assert comment.hidden_note == FLAGS_NOTE
    lesson.hidden_reason = comment.hidden_reason = "Names a supplier."
    comment.hidden_by = demo.moderator
    assert lesson.hidden_note == "Names a supplier."
    assert comment.hidden_note == "Names a supplier."


def test_the_words_flags_stored_are_taken_out_and_moderators_words_kept(
    demo, comment, write_lesson
):
    by_flags = comment.lesson
    by_a_moderator = write_lesson(author=demo.member, title="Hidden by a moderator")
    Lesson.objects.filter(pk=by_flags.pk).update(
        is_hidden=True, hidden_reason="Flagged by 3 members; waiting for a moderator."
    )
    Lesson.objects.filter(pk=by_a_moderator.pk).update(
        is_hidden=True, hidden_reason="Flagged by 3 members; waiting for a moderator. Agreed."
    )
    Comment.objects.filter(pk=comment.pk).update(
        is_hidden=True, hidden_reason="Flagged by 1 member; waiting for a moderator."
    )
    told = Notification.objects.create(
        recipient=demo.member,
        kind=Notification.Kind.MODERATION,
        network=demo.digital_nations,
        lesson=by_flags,
        data={
            "decision": "lesson.hide_by_flags",
            "reason": "Flagged by 3 members; waiting for a moderator.",
        },
    )
    told_by_a_moderator = Notification.objects.create(
        recipient=demo.member,
        kind=Notification.Kind.MODERATION,
        network=demo.digital_nations,
        lesson=by_a_moderator,
        data={"decision": "lesson.hide", "reason": "Names a supplier."},
    )

    _migration("moderation.migrations.0002_flags_hide_without_words").forwards(apps, None)
    _migration("notifications.migrations.0003_flags_decisions_without_words").forwards(apps, None)

    assert Lesson.objects.get(pk=by_flags.pk).hidden_reason == ""
    assert Lesson.objects.get(pk=by_flags.pk).hidden_note == FLAGS_NOTE
    kept = "Flagged by 3 members; waiting for a moderator. Agreed."
    assert Lesson.objects.get(pk=by_a_moderator.pk).hidden_reason == kept
    assert Comment.objects.get(pk=comment.pk).hidden_note == FLAGS_NOTE
    told.refresh_from_db()
    told_by_a_moderator.refresh_from_db()
    assert told.data == {"decision": "lesson.hide_by_flags", "reason": ""}
    assert told_by_a_moderator.data["reason"] == "Names a supplier."
