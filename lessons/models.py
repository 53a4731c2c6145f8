"""What: lessons, their revisions, endorsements, attachments and audience requests, and the
taxonomy they are filed under (technology and policy areas, tags)."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from minilateral.validators import single_line
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


# The years a lesson may be dated to: what the form offers and the database keeps.
YEAR_MIN, YEAR_MAX = 1990, 2100


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

    title = models.CharField(_("title"), max_length=200, validators=[single_line])
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
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)],
    )
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
    # Set by the network's moderators : the discussion stays readable, and closed.
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

    # Written only by search.index.reindex_lessons, when a lesson service announces a change
    # (lessons.events.lessons_changed): the text-search configuration, the weighted vector, and
    # the tags' names, which the tag facet counts without joining the tags of every match.
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
            # What every list reads: the published lessons shown, newest first; with
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
    def hidden_note(self):
        """Why it is hidden, in the reader's language: the moderator's own words, or, when its
        flags hid it (moderation stores no words then), a sentence translated as it is shown."""
        if not self.is_hidden:
            return ""
        return self.hidden_reason or _("Flagged by several members; waiting for a moderator.")

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
        return _("%(lesson)s (edit %(number)s)") % {"lesson": self.lesson, "number": self.number}


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
