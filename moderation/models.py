"""Moderation: flags raised on lessons and comments, moderators' notes, collections (curated
playbooks) and the briefs exported from them. Their tables keep the names they were created
under (`lessons_*`), so moving the models here rewrote no data."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from discussion.models import Comment
from lessons.models import Audience, Lesson
from minilateral.validators import single_line
from networks.models import Network


class Flag(models.Model):
    """A reader's report of a lesson, or of a comment on one, to its network's moderators."""

    class Reason(models.TextChoices):
        INACCURATE = "inaccurate", _("Inaccurate")
        SENSITIVE = "sensitive", _("Sensitive: should not be shared")
        RULES = "rules", _("Breaks the network’s rules")
        OTHER = "other", _("Other")

    # Exactly one of the two: `lesson.flags` are the lesson's own, not its comments'.
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="flags", null=True, blank=True
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="flags", null=True, blank=True
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason)
    note = models.TextField(_("what is wrong"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "lessons_flag"
        ordering = ["created_at"]
        constraints = [
            # One person's repeated flags count once.
            models.UniqueConstraint(
                fields=["lesson", "reporter"],
                condition=models.Q(resolved_at__isnull=True),
                name="lessons_flag_once_while_open",
            ),
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=models.Q(resolved_at__isnull=True),
                name="lessons_comment_flag_once_while_open",
            ),
            models.CheckConstraint(
                condition=models.Q(lesson__isnull=False, comment__isnull=True)
                | models.Q(lesson__isnull=True, comment__isnull=False),
                name="lessons_flag_of_lesson_or_comment",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.comment or self.lesson}"


class ModeratorNote(models.Model):
    """A note on a lesson for the network's moderators only."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="moderator_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "lessons_moderatornote"
        ordering = ["created_at"]

    def __str__(self):
        return _("Note on %(lesson)s") % {"lesson": self.lesson}


class Collection(models.Model):
    """An ordered, introduced set of lessons curated by a network's moderators (a playbook)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="collections")
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    slug = models.SlugField(_("slug"), max_length=100)
    introduction = models.TextField(_("introduction"), max_length=5000, blank=True)
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience, default=Audience.NETWORK
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    lessons = models.ManyToManyField(Lesson, through="CollectionItem", related_name="collections")

    class Meta:
        db_table = "lessons_collection"
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "slug"], name="lessons_collection_slug_once"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("moderation:collection", args=[self.network.slug, self.slug])

    def get_public_url(self):
        return reverse("moderation:public_collection", args=[self.pk, self.slug])


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="collection_items")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "lessons_collectionitem"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "lesson"], name="lessons_item_once"),
        ]

    def __str__(self):
        return f"{self.position}. {self.lesson}"


def brief_path(instance, filename):
    return f"briefs/{instance.network_id}/{uuid.uuid4().hex}{filename[filename.rfind('.') :]}"


class Brief(models.Model):
    """A set of lessons exported for a multilateral forum, kept as it was sent."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="briefs")
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    audience = models.CharField(_("lessons that may go as far as"), max_length=16, choices=Audience)
    forum = models.CharField(_("made for"), max_length=200, blank=True)
    collection = models.ForeignKey(
        Collection, on_delete=models.SET_NULL, null=True, blank=True, related_name="briefs"
    )
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    lesson_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    pdf = models.FileField(upload_to=brief_path)
    markdown = models.FileField(upload_to=brief_path)
    csv = models.FileField(upload_to=brief_path)
    json = models.FileField(upload_to=brief_path)

    FORMATS = {
        "pdf": "application/pdf",
        "md": "text/markdown; charset=utf-8",
        "csv": "text/csv; charset=utf-8",
        "json": "application/json",
    }

    class Meta:
        db_table = "lessons_brief"
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def file_for(self, extension):
        return {"pdf": self.pdf, "md": self.markdown, "csv": self.csv, "json": self.json}[extension]
