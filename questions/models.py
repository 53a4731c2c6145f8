"""Asking the network: questions, their answers (one level of replies, like comments), the
earlier texts of edited answers, members' flags on answers, and the countries whose focal
point muted a question for them.
Who may see and do what is decided in questions/access.py."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lessons.models import (
    SEARCH_CONFIGS,
    SIMPLE_SEARCH_CONFIG,
    Audience,
    Lesson,
    PolicyArea,
    Tag,
    search_indexes,
)
from minilateral.validators import single_line
from moderation.models import Flag
from networks.models import LANGUAGE_CHOICES, Attribution, Country, Network, WorkingGroup

QUESTION_BODY_MAX_LENGTH = 5000
ANSWER_MAX_LENGTH = 5000


class Question(models.Model):
    """A question asked in a network or one of its working groups (its home space). Its
    audience and its asker's attribution follow the rules of lessons (lessons/access.py)."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("question state", "Open")
        CLOSED = "closed", pgettext_lazy("question state", "Closed")
        WITHDRAWN = "withdrawn", pgettext_lazy("question state", "Withdrawn")

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.PROTECT, related_name="questions"
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.PROTECT,
        related_name="questions",
        null=True,
        blank=True,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    author_country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    # Markdown, rendered and sanitised like a lesson's sections.
    body = models.TextField(_("question"), max_length=QUESTION_BODY_MAX_LENGTH)
    language = models.CharField(
        _("language"), max_length=10, choices=LANGUAGE_CHOICES, default="en"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), related_name="questions", blank=True)
    policy_area = models.ForeignKey(
        PolicyArea, verbose_name=_("policy area"), on_delete=models.PROTECT, null=True, blank=True
    )
    deadline = models.DateField(_("answers wanted by"), null=True, blank=True)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience)
    attribution = models.CharField(_("attribution"), max_length=16, choices=Attribution)
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.OPEN)
    # The lesson draft this question was turned into (questions.services.question_to_lesson_draft).
    lesson = models.ForeignKey(
        Lesson,
        verbose_name=_("lesson"),
        on_delete=models.SET_NULL,
        related_name="questions",
        null=True,
        blank=True,
    )
    # The ask form's one-time token: a double submit finds the question the first one made.
    creation_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    # Written only by questions.index.reindex_questions, which every question and answer service
    # calls after it writes: the text-search configuration of the question's language, the
    # vector of what everyone in its audience reads (title, tags, text, policy area), its tags
    # for the tag facet, and the vector of its answers, which only readers inside its home
    # space may match (answers never leave it: questions.search).
    search_config = models.CharField(max_length=32, blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    search_tags = ArrayField(models.CharField(max_length=60), default=list, editable=False)
    answers_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [
            models.Index(fields=["network", "state", "-created_at"]),
            models.Index(fields=["author", "state"]),
            *search_indexes("question"),
            *[
                GinIndex(
                    fields=["answers_vector"],
                    condition=models.Q(search_config=config),
                    name=f"question_answers_{config.removeprefix('minilateral_')}",
                )
                for config in [*SEARCH_CONFIGS.values(), SIMPLE_SEARCH_CONFIG]
            ],
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(audience="group") | models.Q(working_group__isnull=False),
                name="questions_group_audience_needs_group",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("questions:detail", args=[self.pk])

    @property
    def is_open(self):
        return self.state == self.State.OPEN


class Answer(models.Model):
    """An answer to a question, or a reply to an answer (one level only). Markdown.

    Answers are read inside the question's home space only, where their authors are always
    known; `attribution` is how an author is credited if the question becomes a lesson."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="answers"
    )
    author_country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, related_name="replies", null=True, blank=True
    )
    body = models.TextField(_("answer"), max_length=ANSWER_MAX_LENGTH)
    attribution = models.CharField(_("attribution"), max_length=16, choices=Attribution)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="mentioned_in_answers", blank=True
    )
    is_helpful = models.BooleanField(_("helped the asker"), default=False)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    hidden_reason = models.TextField(_("why it is hidden"), blank=True)
    creation_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "created_at"])]

    def __str__(self):
        return f"{self.author} on {self.question}"

    def get_absolute_url(self):
        return self.question.get_absolute_url() + f"#answer-{self.pk}"

    # What lessons.access.shown_author reads of a thing with an author.
    @property
    def network(self):
        return self.question.network

    @property
    def network_id(self):
        return self.question.network_id

    @property
    def working_group_id(self):
        return self.question.working_group_id


class AnswerRevision(models.Model):
    """The text of an answer before one of its edits."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "number"], name="questions_revision_once"),
        ]

    def __str__(self):
        return f"{self.answer} (before edit {self.number})"


class CountryMute(models.Model):
    """A country's focal point asked that the question not count their country as waiting."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="mutes")
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="+")
    muted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "country"], name="questions_mute_once"),
        ]

    def __str__(self):
        return f"{self.question} muted for {self.country}"


FlagReason = Flag.Reason


class AnswerFlag(models.Model):
    """A member's report of an answer to the network's moderators (questions/moderation.py).
    Its reasons are those of lessons' and comments' flags."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=FlagReason)
    note = models.TextField(_("what is wrong"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("flag on an answer")
        verbose_name_plural = _("flags on answers")
        constraints = [
            # One person's repeated flags count once.
            models.UniqueConstraint(
                fields=["answer", "reporter"],
                condition=models.Q(resolved_at__isnull=True),
                name="questions_answer_flag_once_while_open",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.answer}"
