"""The discussion of a lesson: comments, replies one level deep, their revisions, and who follows
it. Visible only inside the lesson's home space (discussion/access.py). The tables keep the
names they were created under (`lessons_*`)."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lessons.models import Lesson, search_indexes

COMMENT_MAX_LENGTH = 5000


class Comment(models.Model):
    """A comment on a lesson, or a reply to one (one level only). Markdown, rendered and sanitised.

    Deleting leaves the row as a "comment deleted" placeholder, so replies keep their place;
    a moderator hides a comment and everyone else then sees "hidden by a moderator"."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, related_name="replies", null=True, blank=True
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="mentioned_in", blank=True
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    hidden_reason = models.TextField(_("why it is hidden"), blank=True)
    # The form's one-time token: a double submit finds the comment the first one made.
    creation_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    # Written only by search.index.reindex_comments, when a comment service announces a change
    # (discussion.events.comments_changed): the body's vector, in the text-search configuration
    # of the lesson's language.
    search_config = models.CharField(max_length=32, blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        db_table = "lessons_comment"
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["lesson", "created_at"]),
            *search_indexes("comment"),
        ]

    def __str__(self):
        # Without words of any language: the audit log keeps this label as it was when written.
        return f"{self.author} · {self.lesson}"

    def get_absolute_url(self):
        # The lesson page finds the page of its discussion that holds the comment.
        return self.lesson.get_absolute_url() + f"?comment={self.pk}#comment-{self.pk}"

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def hidden_note(self):
        """Why it is hidden, in the reader's language: the moderator's own words, or, when its
        flags hid it (no moderator, and moderation stores no words then), a sentence translated
        as it is shown."""
        if not self.is_hidden:
            return ""
        if self.hidden_reason or self.hidden_by_id is not None:
            return self.hidden_reason
        return _("Flagged by several members; waiting for a moderator.")


class CommentRevision(models.Model):
    """The text of a comment before one of its edits, for its "edited" history."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "lessons_commentrevision"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "number"], name="lessons_comment_revision_once"
            ),
        ]

    def __str__(self):
        return _("%(comment)s (before edit %(number)s)") % {
            "comment": self.comment,
            "number": self.number,
        }


class Follow(models.Model):
    """An official follows a lesson's discussion: by writing or commenting on it, or by choice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "lessons_follow"
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lessons_follow_once"),
        ]

    def __str__(self):
        return _("%(official)s follows %(lesson)s") % {"official": self.user, "lesson": self.lesson}
