"""What: lessons, their revisions, endorsements, attachments and audience requests; the
discussion of lessons (comments, their revisions, follows) and officials' notifications."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from networks.models import LANGUAGE_CHOICES, Attribution, Country, Network, WorkingGroup


class Area(models.Model):
    """A platform-managed list entry (technology or policy area)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class TechnologyArea(Area):
    class Meta(Area.Meta):
        verbose_name = _("technology area")
        verbose_name_plural = _("technology areas")


class PolicyArea(Area):
    class Meta(Area.Meta):
        verbose_name = _("policy area")
        verbose_name_plural = _("policy areas")


def normalise_tag(text):
    """Tags are free words, compared in lower case with single spaces."""
    return " ".join((text or "").split()).lower()[:60]


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name


class Audience(models.TextChoices):
    """Who may read a lesson, narrowest first."""

    GROUP = "group", _("The working group")
    NETWORK = "network", _("The network")
    ALL_NETWORKS = "all_networks", _("Every network on Minilateral")
    PUBLIC = "public", _("The public web")

    @property
    def rank(self):
        return list(Audience).index(self)


# Each lesson is searched in the text-search configuration of its language (created, with
# unaccent before the stemmer, by migration 0002_search); any other language in `simple`.
SEARCH_CONFIGS = {
    "en": "minilateral_english",
    "fr": "minilateral_french",
    "es": "minilateral_spanish",
    "pt": "minilateral_portuguese",
}
SIMPLE_SEARCH_CONFIG = "minilateral_simple"


def search_indexes(model_name):
    """One GIN index per configuration: a search asks each language's rows in their own
    configuration, and each part of the query reads only its own index."""
    return [
        GinIndex(
            fields=["search_vector"],
            condition=models.Q(search_config=config),
            name=f"{model_name}_search_{config.removeprefix('minilateral_')}",
        )
        for config in [*SEARCH_CONFIGS.values(), SIMPLE_SEARCH_CONFIG]
    ]


class Lesson(models.Model):
    class Stage(models.TextChoices):
        IDEA = "idea", _("Idea")
        PILOT = "pilot", _("Pilot")
        SCALING = "scaling", _("Scaling")
        AT_SCALE = "at_scale", _("At scale")
        RETIRED = "retired", _("Retired")

    class Outcome(models.TextChoices):
        WORKED = "worked", _("Worked")
        MIXED = "mixed", _("Mixed")
        DID_NOT_WORK = "did_not_work", _("Didn’t work")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # The long fields, in the order of the form and the page. Markdown, rendered and sanitised.
    SECTIONS = [
        "intended",
        "happened",
        "worked",
        "did_not_work",
        "why",
        "recommendations",
        "evidence",
        "transfer_conditions",
    ]

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.PROTECT, related_name="lessons"
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.PROTECT,
        related_name="lessons",
        null=True,
        blank=True,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="lessons",
    )
    author_country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1500)
    technology_area = models.ForeignKey(
        TechnologyArea,
        verbose_name=_("technology area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    policy_area = models.ForeignKey(
        PolicyArea, verbose_name=_("policy area"), on_delete=models.PROTECT, null=True, blank=True
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage, default=Stage.PILOT)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    intended = models.TextField(_("what was intended"), blank=True)
    happened = models.TextField(_("what happened"), blank=True)
    worked = models.TextField(_("what worked"), blank=True)
    did_not_work = models.TextField(_("what didn’t work"), blank=True)
    why = models.TextField(_("why"), blank=True)
    recommendations = models.TextField(_("recommendations for peers"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    transfer_conditions = models.TextField(_("conditions for transfer"), blank=True)
    outcome = models.CharField(
        _("overall outcome"), max_length=16, choices=Outcome, default=Outcome.MIXED
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), related_name="lessons", blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=LANGUAGE_CHOICES, default="en"
    )

    audience = models.CharField(_("audience"), max_length=16, choices=Audience)
    attribution = models.CharField(_("attribution"), max_length=16, choices=Attribution)
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.DRAFT)
    review_message = models.TextField(_("message from the moderators"), blank=True)
    # Set by the network's moderators (issue F): the discussion stays readable, and closed.
    comments_locked = models.BooleanField(_("comments are closed"), default=False)

    # Optimistic locking: an edit names the version it started from.
    version = models.PositiveIntegerField(default=1)
    # The create form's one-time token: a double submit finds the lesson the first one made.
    creation_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    # Moderation: featured at the top of the network's home; hidden pending review (by
    # flags past the network's threshold, or by a moderator), shown then to moderators only.
    is_featured = models.BooleanField(_("featured"), default=False)
    is_hidden = models.BooleanField(_("hidden pending review"), default=False)
    hidden_reason = models.CharField(_("why it is hidden"), max_length=500, blank=True)

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    # Written only by lessons.search.reindex_lessons, which every lesson service calls: the
    # text-search configuration, the weighted vector, and the tags' names, which the tag facet
    # counts without joining the tags of every match.
    search_config = models.CharField(max_length=32, blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    search_tags = ArrayField(models.CharField(max_length=60), default=list, editable=False)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        indexes = [
            models.Index(fields=["network", "state", "-published_at"]),
            models.Index(fields=["state", "audience", "-published_at"]),
            models.Index(fields=["author", "state"]),
            # What every list reads: the published lessons shown, newest first (issue H); with
            # what the access policy asks of each row, so a list's count reads the index only.
            models.Index(
                fields=["network", "-published_at", "-id"],
                include=["audience", "working_group"],
                condition=models.Q(state="published", is_hidden=False),
                name="lesson_shown_in_network",
            ),
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(state="published", is_hidden=False),
                name="lesson_shown_newest",
            ),
            # A network home's few featured lessons, without reading all its others.
            models.Index(
                fields=["network", "-published_at", "-id"],
                condition=models.Q(state="published", is_hidden=False, is_featured=True),
                name="lesson_featured_in_network",
            ),
            *search_indexes("lesson"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(audience="group") | models.Q(working_group__isnull=False),
                name="lessons_group_audience_needs_group",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("lessons:detail", args=[self.pk])

    def get_public_url(self):
        return reverse("lessons:public_detail", args=[self.pk, slugify(self.title) or "lesson"])

    @property
    def home_audience(self):
        return Audience.GROUP if self.working_group_id else Audience.NETWORK

    @property
    def is_published(self):
        return self.state == self.State.PUBLISHED


class LessonRevision(models.Model):
    """The text of a published lesson before one of its edits, for the history page."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    content = models.JSONField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "number"], name="lessons_revision_once"),
        ]

    def __str__(self):
        return f"{self.lesson} (edit {self.number})"


class AudienceRequest(models.Model):
    """A widening of a lesson's audience, asked by one person and decided by the other."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="audience_requests")
    audience = models.CharField(_("audience"), max_length=16, choices=Audience)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=16, choices=State, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["lesson"],
                condition=models.Q(state="pending"),
                name="lessons_one_pending_audience_request",
            ),
        ]

    def __str__(self):
        return f"{self.lesson}: {self.get_audience_display()} ({self.get_state_display()})"


class Endorsement(models.Model):
    class Kind(models.TextChoices):
        USEFUL = "useful", _("Useful")
        TRYING = "trying", _("We are trying this")
        APPLIED = "applied", _("We applied this")

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="endorsements")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="endorsements"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    note = models.TextField(_("note on the outcome"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "user", "kind"], name="lessons_endorse_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.lesson}"


def attachment_path(instance, filename):
    # A generated name: nothing of the uploader's file name reaches the file system.
    return f"attachments/{instance.lesson_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("lessons:attachment", args=[self.lesson_id, self.pk])


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
        "Comment", on_delete=models.CASCADE, related_name="flags", null=True, blank=True
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
        ordering = ["created_at"]

    def __str__(self):
        return f"Note on {self.lesson}"


class Collection(models.Model):
    """An ordered, introduced set of lessons curated by a network's moderators (a playbook)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="collections")
    title = models.CharField(_("title"), max_length=200)
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
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "slug"], name="lessons_collection_slug_once"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("lessons:collection", args=[self.network.slug, self.slug])

    def get_public_url(self):
        return reverse("lessons:public_collection", args=[self.pk, self.slug])


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="collection_items")
    position = models.PositiveIntegerField(default=0)

    class Meta:
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
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(_("made for"), max_length=16, choices=Audience)
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
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def file_for(self, extension):
        return {"pdf": self.pdf, "md": self.markdown, "csv": self.csv, "json": self.json}[extension]


# The discussion of a lesson: visible only inside its home space (networks/lesson_access.py).

COMMENT_MAX_LENGTH = 5000


class Comment(models.Model):
    """A comment on a lesson, or a reply to one (one level only). Markdown, rendered and sanitised.

    Deleting leaves the row as a "comment deleted" placeholder, so replies keep their place;
    a moderator hides a comment (issue F) and everyone else then sees "hidden by a moderator"."""

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
    # Written only by lessons.search.reindex_comments (the comment services call it): the body's
    # vector, in the text-search configuration of the lesson's language.
    search_config = models.CharField(max_length=32, blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["lesson", "created_at"]),
            *search_indexes("comment"),
        ]

    def __str__(self):
        return f"{self.author} on {self.lesson}"

    def get_absolute_url(self):
        # The lesson page finds the page of its discussion that holds the comment.
        return self.lesson.get_absolute_url() + f"?comment={self.pk}#comment-{self.pk}"

    @property
    def is_deleted(self):
        return self.deleted_at is not None


class CommentRevision(models.Model):
    """The text of a comment before one of its edits, for its "edited" history."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "number"], name="lessons_comment_revision_once"
            ),
        ]

    def __str__(self):
        return f"{self.comment} (before edit {self.number})"


class Follow(models.Model):
    """An official follows a lesson's discussion: by writing or commenting on it, or by choice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lessons_follow_once"),
        ]

    def __str__(self):
        return f"{self.user} follows {self.lesson}"


# Notifications: an inbox in the app and email, for one official each.


class Delivery(models.TextChoices):
    """How an official hears by email about one network's notifications."""

    IMMEDIATELY = "immediately", _("Each one, as it happens")
    DAILY = "daily", _("A daily digest")
    WEEKLY = "weekly", _("A weekly digest")
    NEVER = "never", _("No email (the notifications stay in Minilateral)")


class Notification(models.Model):
    """One thing an official should hear about. What it says is worked out when it is shown or
    sent, through the access policy, so that a later suspension or deletion is respected."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("A comment on your lesson")
        FOLLOWED_COMMENT = "followed_comment", _("A comment on a lesson you follow")
        REPLY = "reply", _("A reply to your comment")
        MENTION = "mention", _("A mention of you")
        NEW_LESSON = "new_lesson", _("A new lesson in your network")
        MODERATION = "moderation", _("A moderator’s decision on your content")
        INVITATION = "invitation", _("An invitation to a network")
        JOIN_DECISION = "join_decision", _("A decision on your request to join")
        AUDIENCE_REQUEST = "audience_request", _("A request to widen a lesson’s audience")
        AUDIENCE_DECISION = "audience_decision", _("A decision on a wider audience")

        @classmethod
        def about_own_membership(cls):
            """Kinds about the recipient's own membership: shown whatever their membership;
            networks/services.py already emails them."""
            return [cls.INVITATION, cls.JOIN_DECISION]

    class EmailStatus(models.TextChoices):
        WAITING = "waiting", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not sent")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Email: decided by the recipient's preference for the network when it happened.
    delivery = models.CharField(max_length=16, choices=Delivery, default=Delivery.IMMEDIATELY)
    email_status = models.CharField(max_length=16, choices=EmailStatus, default=EmailStatus.WAITING)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            # The header's unread count asks this on every page (access.unread_notification_count).
            models.Index(
                fields=["recipient", "id"],
                condition=models.Q(read_at__isnull=True),
                name="lessons_notification_unread",
            ),
            models.Index(
                fields=["delivery", "recipient", "network"],
                condition=models.Q(email_status="waiting"),
                name="lessons_notification_waiting",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.recipient}"

    def get_absolute_url(self):
        return reverse("lessons:notification_open", args=[self.pk])


class NotificationPreference(models.Model):
    """An official's choice of email for one network; without one, each notification is sent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    delivery = models.CharField(
        _("email"), max_length=16, choices=Delivery, default=Delivery.IMMEDIATELY
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "network"], name="lessons_one_preference_per_network"
            ),
        ]

    def __str__(self):
        return f"{self.user} in {self.network}: {self.get_delivery_display()}"


class SearchTerm(models.Model):
    """A word that occurs in some lesson: what "did you mean" suggests from, never as such.

    A word is suggested to a reader only when a lesson they may read matches it at that moment
    (lessons.search.suggest), so words of lessons outside their spaces never surface."""

    word = models.CharField(max_length=40, unique=True)

    class Meta:
        indexes = [GinIndex(fields=["word"], opclasses=["gin_trgm_ops"], name="search_term_trgm")]

    def __str__(self):
        return self.word


class SavedSearch(models.Model):
    """An official's search, kept to run again and to hear of new matches in their digest."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=120)
    # The search as lessons.search.SearchParams.as_query() writes it: q, filters, sort.
    query = models.JSONField(default=dict)
    created_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from lessons.search import SearchParams

        return SearchParams.from_saved(self.query).url()
