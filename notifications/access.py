"""Which notifications an official may see or be sent: the lesson and discussion rules applied to
each notification when it is shown or sent, so that a suspension or a narrowed audience takes
effect at once, in the inbox, the header's count and every email."""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from lessons import access as lesson_access
from lessons.remembered import Remembered
from networks import access as network_access
from notifications import subjects
from notifications.models import Notification


def visible_notifications(user):
    """The official's notifications that the policy lets them see now. Those about their own
    membership always; the others only while they are an active member of the network, inside
    the home space for anything about comments, and able to open the lesson. A suspension or
    removal hides them from the very next request, and keeps them out of every email."""
    if not user.is_authenticated or not user.is_active:
        return Notification.objects.none()
    networks = list(network_access.memberships_by_network(user))
    lessons = lesson_access.reachable_lessons(user)  # built once: its conditions are many

    def reachable(lesson_id):
        # Correlated: asked for each of the official's notifications, rather than listing
        # every lesson they may open (tens of thousands) before looking at any notification.
        return Q(Exists(lessons.filter(pk=OuterRef(lesson_id))))

    about_comment = (
        Q(comment__isnull=False)
        & reachable("comment__lesson_id")
        & lesson_access.inside_home_space_q(user, prefix="comment__lesson__")
    )
    about_lesson = Q(comment__isnull=True, lesson__isnull=False) & reachable("lesson_id")
    about_network = Q(comment__isnull=True, lesson__isnull=True) & ~Q(
        kind__in=subjects.registered_kinds()
    )
    about_subject = subjects.visible_q(user)
    return Notification.objects.filter(recipient=user).filter(
        Q(kind__in=Notification.Kind.about_own_membership())
        | (
            Q(network_id__in=networks)
            & (about_comment | about_lesson | about_network | about_subject)
        )
    )


def may_be_notified(user, *, kind, network, lesson=None, comment=None, data=None):
    """The same rule as `visible_notifications`, for a notification about to be recorded."""
    if not user.is_authenticated or not user.is_active:
        return False
    if kind in Notification.Kind.about_own_membership():
        return True
    if not network_access.is_member(user, network):
        return False
    subject = subjects.subject_of(kind)
    if subject is not None:
        return subject.may_see(user, data or {})
    if comment is not None:
        lesson = comment.lesson
        if not lesson_access.is_inside_home_space(user, lesson):
            return False
    if lesson is not None:
        return lesson_access.reachable_lessons(user).filter(pk=lesson.pk).exists()
    return True


# The header shows the count on every page. Most officials have nothing unread, which one short
# query by the recipient's unread index says; a few unread ones are counted through the policy
# once for these very notifications, this view of the platform and its spaces' generations (what
# the policy reads of lessons and comments moves it on), then remembered like a search.
UNREAD_REMEMBERED_UP_TO = 50


def unread_notification_count(user):
    if not user.is_authenticated or not user.is_active:
        return 0
    unread = tuple(
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[: UNREAD_REMEMBERED_UP_TO + 1]
    )
    if not unread:
        return 0

    def count():
        return visible_notifications(user).filter(read_at__isnull=True).count()

    if len(unread) > UNREAD_REMEMBERED_UP_TO:
        return count()
    remembered = Remembered(user, ("unread notifications", user.pk, unread))
    counted = remembered.get("count")
    return remembered.keep("count", count()) if counted is None else counted


def get_notification(user, notification_id):
    notification = visible_notifications(user).filter(pk=notification_id).first()
    if notification is None:
        raise Http404
    return notification
