"""Notifications: the official's inbox in the app, and email about the same events.

- `notify_*` record one Notification per recipient whom the access policy lets see it
  (`access.may_be_notified`), inside the caller's transaction: a rolled-back action leaves none.
  The lower layers' services announce events (networks/events.py, lessons/events.py,
  discussion/events.py) and notifications/receivers.py calls these for them.
- Email follows the recipient's preference for the network (`Delivery`): each notification on
  its own (a task enqueued once the transaction commits), in a daily or weekly digest (a task the
  worker runs on schedule: notifications/digests.py), or none. Every email is decided again when
  it is sent, through `access.visible_notifications`: a suspension, removal or deactivation
  after the event means nothing is sent. Each notification is emailed at most once: its
  `email_status` is changed in the same transaction that enqueues the email.
- What a notification says is worked out when it is shown or sent (`describe`), for the person
  reading it: the attribution rule, deleted and hidden comments are applied then, and its words
  are in the reader's language (the page's, or for email the recipient's `email_language`),
  never the language of whoever caused it. Nothing of it is stored as text but what people
  wrote themselves (a moderator's reason).
"""

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from discussion import access as discussion_access
from lessons import access as lesson_access
from lessons.markdown import markdown_to_text
from lessons.models import Audience
from minilateral.mail import render_templated_email
from networks import access as network_access
from networks.models import Membership, User
from notifications import access, sending, subjects
from notifications.models import Delivery, Notification, NotificationPreference

Kind = Notification.Kind
EmailStatus = Notification.EmailStatus

# Recording without email: the demo world's history is in the inbox, and in no one's mailbox.
_without_email = ContextVar("notifications_without_email", default=False)


@contextlib.contextmanager
def without_email():
    token = _without_email.set(True)
    try:
        yield
    finally:
        _without_email.reset(token)


def _preferences(users, network):
    chosen = dict(
        NotificationPreference.objects.filter(
            network=network, user__in=[user.pk for user in users]
        ).values_list("user_id", "delivery")
    )
    return {user.pk: chosen.get(user.pk, Delivery.IMMEDIATELY) for user in users}


def _record(recipients, kind, network, *, lesson=None, comment=None, actor=None, data=None):
    """One notification for each recipient who may see it (never for the one who acted)."""
    if isinstance(recipients, dict):
        by_kind = recipients
    else:
        by_kind = {user.pk: (user, kind) for user in recipients}
    allowed = [
        (user, user_kind)
        for user, user_kind in by_kind.values()
        if (actor is None or user.pk != actor.pk)
        and access.may_be_notified(
            user, kind=user_kind, network=network, lesson=lesson, comment=comment, data=data
        )
    ]
    if not allowed:
        return []
    preferences = _preferences([user for user, _kind in allowed], network)
    created = []
    for user, user_kind in allowed:
        emailed = user_kind not in Kind.about_own_membership() and not _without_email.get()
        delivery = preferences[user.pk] if emailed else Delivery.NEVER
        created.append(
            Notification.objects.create(
                recipient=user,
                kind=user_kind,
                network=network,
                lesson=lesson if lesson is not None else getattr(comment, "lesson", None),
                comment=comment,
                actor=actor,
                data=data or {},
                delivery=delivery,
                email_status=EmailStatus.SKIPPED
                if delivery == Delivery.NEVER
                else EmailStatus.WAITING,
            )
        )
    immediate = [n.pk for n in created if n.delivery == Delivery.IMMEDIATELY]
    if immediate:
        transaction.on_commit(
            lambda: [email_notification.enqueue(notification_id=pk) for pk in immediate]
        )
    return created


# The events


def notify_comment_posted(comment, *, mentioned=()):
    """A new comment: those it mentions, the author it replies to, and the lesson's followers
    (its author among them, unless they stopped following). Each hears once, the most
    personal way."""
    lesson = comment.lesson
    recipients = {}

    def offer(user, kind):
        recipients.setdefault(user.pk, (user, kind))

    for user in mentioned:
        offer(user, Kind.MENTION)
    if comment.parent_id:
        offer(comment.parent.author, Kind.REPLY)
    for user in discussion_access.lesson_followers(lesson):
        offer(user, Kind.COMMENT if user.pk == lesson.author_id else Kind.FOLLOWED_COMMENT)
    return _record(recipients, None, lesson.network, comment=comment, actor=comment.author)


def notify_mentions_added(comment, mentioned):
    """An edit that mentions someone new tells them (and no one else)."""
    return _record(
        list(mentioned), Kind.MENTION, comment.lesson.network, comment=comment, actor=comment.author
    )


def notify_lesson_published(lesson, *, approved_by=None):
    """A lesson is published: the members of its network who may read it hear of it (not its
    author, nor the moderator who approved it)."""
    readers = lesson_access.lesson_network_readers(lesson)
    if approved_by is not None:
        readers = readers.exclude(pk=approved_by.pk)
    return _record(
        list(readers),
        Kind.NEW_LESSON,
        lesson.network,
        lesson=lesson,
        actor=lesson.author,
    )


def notify_subject(recipients, *, kind, network, actor=None, data=None):
    """A notification of a kind registered by a higher app (notifications/subjects.py), about
    what `data` names, for each recipient its rule lets see it: `recipients` is a list of
    officials, or {user id: (user, kind)} for a kind of its own to each."""
    return _record(recipients, kind, network, actor=actor, data=data)


# What a moderator decided, as the author is told it.
MODERATION_DECISIONS = {
    "lesson.approve": gettext_lazy("A moderator published your lesson “%(lesson)s”"),
    "lesson.return": gettext_lazy("A moderator returned your lesson “%(lesson)s” to you"),
    "lesson.withdraw": gettext_lazy("A moderator withdrew your lesson “%(lesson)s”"),
    "lesson.restore": gettext_lazy("A moderator restored your lesson “%(lesson)s”"),
    "comments.lock": gettext_lazy("A moderator closed the comments on your lesson “%(lesson)s”"),
    "comments.unlock": gettext_lazy(
        "A moderator reopened the comments on your lesson “%(lesson)s”"
    ),
    "lesson.hide": gettext_lazy("A moderator hid your lesson “%(lesson)s” pending review"),
    "lesson.hide_by_flags": gettext_lazy(
        "Your lesson “%(lesson)s” was flagged by several members and is hidden pending review"
    ),
    "lesson.unhide": gettext_lazy("A moderator showed your lesson “%(lesson)s” again"),
    "lesson.feature": gettext_lazy("A moderator featured your lesson “%(lesson)s”"),
    "lesson.taxonomy": gettext_lazy("A moderator corrected the areas and tags of “%(lesson)s”"),
    "comment.hide": gettext_lazy("A moderator hid your comment on “%(lesson)s”"),
    "comment.restore": gettext_lazy("A moderator restored your comment on “%(lesson)s”"),
    "comment.hide_by_flags": gettext_lazy(
        "Your comment on “%(lesson)s” was flagged by several members and is hidden pending review"
    ),
}


def notify_moderation_decision(*, moderator, decision, lesson=None, comment=None, reason=""):
    """Tell the author of a lesson or comment what a moderator decided about it.

    `decision` is a key of MODERATION_DECISIONS (another key reads as "a decision about your
    content"); `reason`, if given, is shown to the author."""
    content = comment if comment is not None else lesson
    lesson = comment.lesson if comment is not None else lesson
    return _record(
        [content.author],
        Kind.MODERATION,
        lesson.network,
        lesson=lesson,
        comment=comment,
        actor=moderator,
        data={"decision": decision, "reason": (reason or "").strip()},
    )


def notify_invitation(invitation):
    """An official who already has an account hears of an invitation in the app too (the link
    to accept it is only in the email: only its digest is stored)."""
    invitee = User.objects.filter(email__iexact=invitation.email, is_active=True).first()
    if invitee is None:
        return []
    return _record(
        [invitee],
        Kind.INVITATION,
        invitation.network,
        actor=invitation.invited_by,
        data={"role": invitation.role, "email": invitation.email},
    )


def notify_join_request_decided(join_request):
    from networks.models import JoinRequest

    return _record(
        [join_request.user],
        Kind.JOIN_DECISION,
        join_request.network,
        actor=join_request.decided_by,
        data={"approved": join_request.state == JoinRequest.State.APPROVED},
    )


def _moderators(network):
    memberships = network_access.active_memberships().filter(
        network=network, role__in=Membership.Role.having("can_moderate")
    )
    return list(User.objects.filter(pk__in=memberships.values("user_id")))


def notify_audience_requested(request):
    """A wider audience is asked for: the other side decides (moderators, or the author)."""
    lesson = request.lesson
    if request.requested_by_id == lesson.author_id:
        deciders = _moderators(lesson.network)
    else:
        deciders = [lesson.author]
    return _record(
        deciders,
        Kind.AUDIENCE_REQUEST,
        lesson.network,
        lesson=lesson,
        actor=request.requested_by,
        data={"audience": request.audience},
    )


def notify_audience_decided(request):
    from lessons.models import AudienceRequest

    lesson = request.lesson
    return _record(
        [request.requested_by],
        Kind.AUDIENCE_DECISION,
        lesson.network,
        lesson=lesson,
        actor=request.decided_by,
        data={
            "audience": request.audience,
            "approved": request.state == AudienceRequest.State.APPROVED,
        },
    )


# What a notification says, to the person reading it


@dataclass(frozen=True)
class Described:
    notification: Notification
    title: str  # plain text, for subjects and plain-text email
    excerpt: str
    url: str
    title_html: str = ""  # the same, with the lesson's title declaring its language
    excerpt_language: str = ""  # the excerpt's language, when it is a lesson's own words

    @property
    def html_title(self):
        return self.title_html or conditional_escape(self.title)

    @property
    def absolute_url(self):
        return urljoin(settings.SITE_URL, self.url)


def _audience_label(value):
    return Audience(value).label.lower() if value in Audience.values else value


def _comment_excerpt(viewer, comment):
    if comment.is_deleted:
        return _("The comment was deleted.")
    if not discussion_access.can_see_comment_text(viewer, comment):
        return _("The comment was hidden by a moderator.")
    return Truncator(markdown_to_text(comment.body)).chars(300)


def describe(notification, viewer):
    """Title, excerpt and link of a notification, as `viewer` (its recipient) may see it."""
    n = notification
    subject = subjects.subject_of(n.kind)
    if subject is not None:
        title, excerpt, url = subject.describe(n, viewer)
        return Described(notification=n, title=title, excerpt=excerpt, url=url)
    lesson, comment, network = n.lesson, n.comment, n.network
    person = n.actor.display_name if n.actor is not None else _("someone")
    names = {"person": person, "network": network.name}
    if lesson is not None:
        names["lesson"] = lesson.title
    excerpt, url = "", lesson.get_absolute_url() if lesson is not None else ""
    excerpt_language = ""
    if comment is not None:
        comment.lesson = lesson
        url = comment.get_absolute_url()
    match n.kind:
        case Kind.COMMENT:
            template = _("%(person)s commented on your lesson “%(lesson)s”")
        case Kind.FOLLOWED_COMMENT:
            template = _("%(person)s commented on “%(lesson)s”")
        case Kind.REPLY:
            template = _("%(person)s replied to your comment on “%(lesson)s”")
        case Kind.MENTION:
            template = _("%(person)s mentioned you on “%(lesson)s”")
        case Kind.NEW_LESSON:
            names["author"] = lesson_access.shown_author(viewer, lesson).label
            template = _("New lesson in %(network)s: “%(lesson)s”, by %(author)s")
            excerpt = Truncator(markdown_to_text(lesson.summary)).chars(300)
            excerpt_language = lesson.language
        case Kind.MODERATION:
            decision = MODERATION_DECISIONS.get(n.data.get("decision"))
            if decision is None or lesson is None:
                template = _("A moderator of %(network)s made a decision about your content")
            else:
                template = decision
            excerpt = n.data.get("reason", "")
        case Kind.INVITATION:
            template = _("%(person)s invited you to join %(network)s")
            excerpt = _("The link to accept it is in the email sent to %(email)s.") % {
                "email": n.data.get("email", viewer.email)
            }
            url = reverse("networks:directory")
        case Kind.JOIN_DECISION:
            if n.data.get("approved"):
                template = _("Your request to join %(network)s was approved")
                url = network.get_absolute_url()
            else:
                template = _("Your request to join %(network)s was declined")
                url = reverse("networks:directory")
        case Kind.AUDIENCE_REQUEST:
            names["audience"] = _audience_label(n.data.get("audience"))
            template = _("%(person)s asks to widen “%(lesson)s” to %(audience)s")
            url = reverse("lessons:audience", args=[lesson.pk])
        case Kind.AUDIENCE_DECISION:
            names["audience"] = _audience_label(n.data.get("audience"))
            if n.data.get("approved"):
                template = _("%(person)s agreed: “%(lesson)s” is now for %(audience)s")
            else:
                template = _("%(person)s declined to widen “%(lesson)s” to %(audience)s")
        case _:
            template = str(n.get_kind_display()).replace("%", "%%")
    if comment is not None and n.kind != Kind.MODERATION:
        excerpt = _comment_excerpt(viewer, comment)
    return Described(
        notification=n,
        title=template % names,
        excerpt=excerpt,
        url=url,
        title_html=_html_title(template, names, lesson),
        excerpt_language=excerpt_language,
    )


def _html_title(template, names, lesson):
    """The title for a page or an HTML email: the lesson's title, written in its own language,
    declares it (`lang`) inside a sentence in the reader's."""
    escaped = {key: conditional_escape(value) for key, value in names.items()}
    if lesson is not None:
        escaped["lesson"] = format_html('<span lang="{}">{}</span>', lesson.language, lesson.title)
    # Every piece is escaped above; the template is the catalogue's, escaped too.
    return mark_safe(conditional_escape(template) % escaped)  # noqa: S308  # nosec B308 B703


def describe_all(notifications, viewer):
    """`describe` for a page of notifications, in a fixed number of queries."""
    notifications = list(notifications)
    subjects.prepare(notifications)
    return [describe(n, viewer) for n in notifications]


def inbox(user):
    """The user's visible notifications, with what `describe` reads, newest first."""
    return access.visible_notifications(user).select_related(
        "network",
        "actor",
        "lesson",
        "lesson__network",
        "lesson__working_group",
        "lesson__author",
        "lesson__author_country",
        "comment",
    )


# Email


UNSUBSCRIBE_SALT = "lessons.notifications.unsubscribe"


def unsubscribe_token(user, network):
    return signing.dumps({"user": user.pk, "network": network.pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_target(token):
    """The official and network a signed unsubscribe link names, or (None, None)."""
    from networks.models import Network

    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = User.objects.filter(pk=int(value["user"])).first()
        network = Network.objects.filter(pk=int(value["network"])).first()
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None, None
    if user is None or network is None:
        return None, None
    return user, network


def _email(recipient, network, *, key, template, context):
    """Render the email in the site's voice and in the recipient's language, and enqueue it, in
    the caller's transaction: the record that it was sent and the email itself commit together,
    or neither does. What the context holds (`describe`'s items) is worked out by the caller in
    the same language (`translation.override(recipient.email_language)`)."""
    unsubscribe_url = urljoin(
        settings.SITE_URL,
        reverse("notifications:unsubscribe", args=[unsubscribe_token(recipient, network)]),
    )
    payload = render_templated_email(
        to=[recipient.email],
        template=template,
        language=recipient.email_language,
        context={
            **context,
            "recipient": recipient,
            "network": network,
            "unsubscribe_url": unsubscribe_url,
            "settings_url": urljoin(settings.SITE_URL, reverse("notifications:settings")),
        },
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    sending.write_email(key=key, recipient=recipient, payload=payload)


def _mark(notifications, status):
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
        email_status=status, emailed_at=timezone.now() if status == EmailStatus.SENT else None
    )


@task()
def email_notification(*, notification_id):
    """Email one notification, if it is still waiting and its recipient may still see it."""
    return deliver_notification_email(notification_id=notification_id)


@transaction.atomic
def deliver_notification_email(*, notification_id):
    waiting = (
        Notification.objects.select_for_update(of=("self",))
        .filter(pk=notification_id, email_status=EmailStatus.WAITING, delivery=Delivery.IMMEDIATELY)
        .select_related("recipient")
        .first()
    )
    if waiting is None:
        return False
    recipient = waiting.recipient
    visible = inbox(recipient).filter(pk=waiting.pk).first()
    if visible is None:
        _mark([waiting], EmailStatus.SKIPPED)
        return False
    _mark([waiting], EmailStatus.SENT)
    with translation.override(recipient.email_language):
        item = describe(visible, recipient)
    _email(
        recipient,
        visible.network,
        key=sending.notification_key(waiting.pk),
        template="notification",
        context={"item": item},
    )
    return True


# Preferences


@transaction.atomic
def notification_preference_set(*, acting_user, network, delivery):
    """How the official hears by email about one network. What is waiting follows the choice:
    nothing more is sent after "never"; a digest's items move to the other digest."""
    from networks.services import ActionRefused
    from notifications.digests import DIGEST_FREQUENCIES

    if delivery not in Delivery.values:
        raise ActionRefused(_("Choose how often you want email."))
    NotificationPreference.objects.update_or_create(
        user=acting_user, network=network, defaults={"delivery": delivery}
    )
    waiting = Notification.objects.filter(
        recipient=acting_user, network=network, email_status=EmailStatus.WAITING
    )
    if delivery == Delivery.NEVER:
        waiting.update(email_status=EmailStatus.SKIPPED)
    elif delivery in DIGEST_FREQUENCIES:
        waiting.exclude(delivery=Delivery.IMMEDIATELY).update(delivery=delivery)
    return delivery


def preferences_of(user, networks):
    chosen = dict(
        NotificationPreference.objects.filter(user=user, network__in=networks).values_list(
            "network_id", "delivery"
        )
    )
    return {network.pk: chosen.get(network.pk, Delivery.IMMEDIATELY) for network in networks}


@transaction.atomic
def notifications_mark_read(*, acting_user, notification=None):
    """Mark one notification, or every one, as read."""
    unread = Notification.objects.filter(recipient=acting_user, read_at__isnull=True)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    return unread.update(read_at=timezone.now())
