"""The demo world has discussions (with replies and mentions) and unread notifications; seeding
again adds nothing, and the demo's history was never emailed."""

import os

from django.core.management import call_command

from discussion.models import Comment, Follow
from lessons import access as lesson_access
from networks.models import User
from notifications import access as notification_access
from notifications.models import Notification


def test_demo_lessons_are_discussed_with_replies_and_mentions(demo):
    wallet = Comment.objects.filter(lesson__title__startswith="Digital identity wallet")
    assert wallet.filter(parent__isnull=True).count() == 2
    assert wallet.filter(parent__isnull=False).count() == 2
    assert demo.moderator in wallet.get(author=demo.convenor).mentions.all()
    group_talk = Comment.objects.get(lesson__title__startswith="Biometric matching")
    assert lesson_access.is_inside_home_space(demo.convenor, group_talk.lesson)
    assert Follow.objects.filter(user=demo.convenor, lesson=group_talk.lesson).exists()


def test_demo_officials_have_unread_notifications_that_were_never_emailed(demo):
    for official in (demo.member, demo.moderator, demo.outsider):
        fresh = User.objects.get(pk=official.pk)
        assert notification_access.unread_notification_count(fresh) > 0
    assert Notification.objects.filter(
        recipient=demo.moderator, kind=Notification.Kind.MENTION
    ).exists()
    assert not Notification.objects.exclude(email_status=Notification.EmailStatus.SKIPPED)


def test_seeding_again_adds_no_comment_and_no_notification(demo):
    comments, notifications = Comment.objects.count(), Notification.objects.count()
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", "--force", stdout=quiet)
    assert Comment.objects.count() == comments
    assert Notification.objects.count() == notifications
