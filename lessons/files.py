"""Files follow their rows: an attachment's file exists exactly while a committed row names it.

- A stored file whose row is then not written (the service fails) is removed at once
  (`files_removed_on_failure`).
- A deleted row's file (removed, purged with its lesson, deleted with its lesson or its author's
  account: Django's cascade) is removed once the deletion commits, never before: a rolled-back
  deletion keeps its file (`remove_file_after_commit`, called on every Attachment deletion).
- A file stored in a transaction that a caller then rolls back, or by a request whose process
  died before it committed, has no row and nothing else that would remove it: the daily sweep
  (`remove_orphaned_files`) removes files that no row names, once they are older than any
  transaction could still be running (ORPHAN_GRACE).
"""

import contextlib
import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from lessons.models import Attachment

logger = logging.getLogger("minilateral.files")

ATTACHMENTS_FOLDER = "attachments"
ORPHAN_GRACE = timedelta(hours=1)


@contextlib.contextmanager
def files_removed_on_failure(*stored):
    """Files stored before the rows that name them are written: if writing the rows fails
    (and so the transaction rolls back), the files go too, or they would be left unnamed."""
    try:
        yield
    except BaseException:
        for field_file in stored:
            if field_file.name:
                field_file.storage.delete(field_file.name)
        raise


def remove_file_after_commit(field_file):
    """Remove the file of a deleted row once the deletion commits (nothing if it rolls back)."""
    name, storage = field_file.name, field_file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def attachment_deleted(sender, *, instance, **kwargs):
    """Every deletion of an attachment row, one by one or by cascade (connected in apps.py)."""
    remove_file_after_commit(instance.file)


def _stored_names(storage, folder):
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for inner in folders:
        yield from _stored_names(storage, f"{folder}/{inner}")


def stored_attachment_files():
    """The names of every file in the attachments' folder of their storage."""
    storage = Attachment.file.field.storage
    if not storage.exists(ATTACHMENTS_FOLDER):
        return []
    return list(_stored_names(storage, ATTACHMENTS_FOLDER))


def remove_orphaned_files(*, grace=ORPHAN_GRACE, now=None):
    """Remove the attachment files that no row names and that were stored more than `grace`
    ago (a younger one may belong to a transaction still running). Returns how many went."""
    storage = Attachment.file.field.storage
    cutoff = (now or timezone.now()) - grace
    named = set(Attachment.objects.values_list("file", flat=True))
    removed = 0
    for name in stored_attachment_files():
        if name in named or storage.get_modified_time(name) > cutoff:
            continue
        storage.delete(name)
        removed += 1
    if removed:
        logger.warning("Removed %s attachment files that no row named.", removed)
    return removed
