"""Notifications: an inbox in the app and email, for one official each. The tables keep the
names they were created under (`lessons_*`)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from discussion.models import Comment
from lessons.models import Lesson
from networks.models import Network


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
        # Described by the app that registered them (notifications/subjects.py).
        NEW_QUESTION = "new_question", _("A new question in your network")
        ANSWER = "answer", _("An answer to your question")
        ANSWER_MENTION = "answer_mention", _("A mention of you in an answer")
        ANSWER_MODERATION = "answer_moderation", _("A moderator’s decision on your answer")

        @classmethod
        def about_own_membership(cls):
            """Kinds about the recipient's own membership: shown whatever their membership;
            networks/services/ already emails them."""
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
        db_table = "lessons_notification"
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
        return _("%(kind)s for %(official)s") % {
            "kind": self.get_kind_display(),
            "official": self.recipient,
        }

    def get_absolute_url(self):
        return reverse("notifications:open", args=[self.pk])


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
        db_table = "lessons_notificationpreference"
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "network"], name="lessons_one_preference_per_network"
            ),
        ]

    def __str__(self):
        return _("%(official)s in %(network)s: %(delivery)s") % {
            "official": self.user,
            "network": self.network,
            "delivery": self.get_delivery_display(),
        }


class SentEmail(models.Model):
    """One email written for one official, under a key that names it: a digest by its frequency,
    period, recipient and network; a notification's email by the notification. The key is
    unique, so each is written once; `sent_at` says it left, so a delivery that runs again
    (its worker died and it was queued again) sends nothing twice (notifications.sending)."""

    key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sent email")
        verbose_name_plural = _("sent emails")

    def __str__(self):
        return self.key
