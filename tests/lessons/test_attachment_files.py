"""Files follow their rows: after any failure, the attachment files on disk are exactly the
files that committed rows name; a deleted or purged row's file goes after the commit, never
before."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.utils import timezone

from demo.lessons import DEMO_PDF
from lessons import files, services
from lessons.models import Attachment, Lesson


@pytest.fixture
def own_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _on_disk():
    return sorted(files.stored_attachment_files())


def _named(lesson):
    """The files the lesson's rows name (the demo's own attachments are stored elsewhere)."""
    return sorted(Attachment.objects.filter(lesson=lesson).values_list("file", flat=True))


def _attach(lesson):
    return services.attachment_add(
        acting_user=lesson.author, lesson=lesson, upload=ContentFile(DEMO_PDF, name="a.pdf")
    )


class Died(Exception):
    """The request's process dying, as far as its transaction can tell."""


def _rolled_back(action):
    """Run `action` in a transaction that then fails (a later step of the same request)."""
    with transaction.atomic():
        action()
        raise Died


def test_files_on_disk_match_the_rows_after_injected_failures(
    demo, write_lesson, own_media, django_capture_on_commit_callbacks
):
    lesson = write_lesson(author=demo.member)
    with django_capture_on_commit_callbacks(execute=True):
        kept = _attach(lesson)
        removed = _attach(lesson)

    # The row's insert fails after the file was stored.
    with (
        mock.patch.object(Attachment, "save", side_effect=DatabaseError("injected")),
        pytest.raises(DatabaseError),
    ):
        _attach(lesson)
    # The caller's transaction rolls back after the attachment was stored (a later step of the
    # same request failed, or the request died).
    with pytest.raises(Died):
        _rolled_back(lambda: _attach(lesson))
    # A removal that rolls back keeps its file; one that commits removes it only then.
    with pytest.raises(Died):
        _rolled_back(lambda: services.attachment_remove(acting_user=lesson.author, attachment=kept))
    with django_capture_on_commit_callbacks() as callbacks:
        services.attachment_remove(acting_user=lesson.author, attachment=removed)
    assert removed.file.name in _on_disk(), "removed before the commit"
    for callback in callbacks:
        callback()
    assert removed.file.name not in _on_disk()

    # One file of the rolled-back transaction is left, named by no row, until the daily sweep:
    # it waits for the grace period (a running transaction's file is young), then removes it.
    assert len(_on_disk()) == len(_named(lesson)) + 1
    assert files.remove_orphaned_files() == 0
    later = timezone.now() + files.ORPHAN_GRACE + timedelta(minutes=1)
    assert files.remove_orphaned_files(now=later) == 1
    assert _on_disk() == _named(lesson) == [kept.file.name]


def test_a_purged_lesson_loses_its_files_after_the_commit_never_before(
    demo, write_lesson, own_media, django_capture_on_commit_callbacks
):
    lesson = write_lesson(author=demo.member)
    with django_capture_on_commit_callbacks(execute=True):
        attachment = _attach(lesson)
    Lesson.objects.filter(pk=lesson.pk).update(
        state=Lesson.State.WITHDRAWN, withdrawn_at=timezone.now() - timedelta(days=400)
    )
    # A purge that fails after the lesson was deleted keeps the lesson and its file.
    with (
        mock.patch.object(Lesson, "delete", autospec=True, side_effect=DatabaseError("injected")),
        pytest.raises(DatabaseError),
    ):
        services.purge_withdrawn_lessons(lesson_ids=[lesson.pk])
    assert _on_disk() == _named(lesson) == [attachment.file.name]

    with django_capture_on_commit_callbacks() as callbacks:
        assert services.purge_withdrawn_lessons(lesson_ids=[lesson.pk]) == 1
    assert _on_disk() == [attachment.file.name], "the file went before the commit"
    for callback in callbacks:
        callback()
    assert _on_disk() == _named(lesson) == []


def test_a_lesson_deleted_with_its_attachments_takes_their_files(
    demo, write_lesson, own_media, django_capture_on_commit_callbacks
):
    lesson = write_lesson(author=demo.member)
    with django_capture_on_commit_callbacks(execute=True):
        _attach(lesson)
    with django_capture_on_commit_callbacks(execute=True):
        Lesson.objects.filter(pk=lesson.pk).delete()  # a cascade, as an account's deletion
    assert _on_disk() == _named(lesson) == []
