"""Moderation of comments: flags from readers inside the home space, the threshold that hides a
comment once, and the workbench's hide, restore, dismiss, lock and unlock (each changes what it
should, writes one audit event, and tells whom it affects), in the moderator's network only."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from discussion import services as discussion
from discussion.models import Comment
from moderation import services as moderation
from moderation.models import Flag
from networks.models import AuditEvent, Country, Membership, User
from networks.services import ActionRefused
from notifications.models import Notification
from tests.networks.conftest import sign_in

SEEDED = "A button on every answer"  # Min-jun's comment, flagged by two members in the demo


def events(action=None):
    # Decisions only: a moderator's sight of a hidden author (in a page or an email) is logged
    # too, as often as the pages and emails of a test show one (tests/lessons/test_author_seen).
    found = AuditEvent.objects.exclude(action="author.seen")
    return found.filter(action=action).count() if action else found.count()


def told(user, decision):
    return Notification.objects.filter(
        recipient=user, kind=Notification.Kind.MODERATION, data__decision=decision
    ).count()


def flag_url(comment):
    return reverse("moderation:comment_flag", args=[comment.lesson_id, comment.pk])


def item_url(comment, slug="digital-nations"):
    return reverse("moderation:comment", args=[slug, comment.pk])


def act(client, comment, action, slug="digital-nations", **data):
    url = reverse("moderation:comment_act", args=[slug, comment.pk, action])
    return client.post(url, data)


def lesson_act(client, lesson, action, **data):
    url = reverse("moderation:act", args=[lesson.network.slug, lesson.pk, action])
    return client.post(url, data)


def a_danish_member(network, email="mette.jensen@digst.dk"):
    user = User.objects.create_user(
        email, "x" * 12, full_name="Mette Jensen", country=Country.objects.get(code="DK")
    )
    Membership.objects.create(user=user, network=network)
    return user


# Flags


def test_member_flags_a_comment_from_its_flag_link(demo, comment):
    before = events("comment.flag")
    client = sign_in(demo.member)
    page = client.get(comment.lesson.get_absolute_url()).content.decode()
    assert flag_url(comment) in page
    form = client.get(flag_url(comment))
    assert form.status_code == 200
    assert "Our supplier <strong>Acme</strong> overcharged." in form.content.decode()
    response = client.post(flag_url(comment), {"reason": "sensitive", "note": "Names a firm."})
    assert response.status_code == 302
    assert response["Location"] == comment.get_absolute_url()
    flag = Flag.objects.get(comment=comment)
    assert (flag.reporter, flag.reason, flag.note, flag.lesson) == (
        demo.member,
        "sensitive",
        "Names a firm.",
        None,
    )
    assert not comment.lesson.flags.exists()  # a comment's flag is not the lesson's
    assert events("comment.flag") == before + 1


def test_flag_form_without_a_reason_shows_the_error_summary_and_keeps_the_note(demo, comment):
    response = sign_in(demo.member).post(flag_url(comment), {"note": "Names a firm."})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Names a firm." in body
    assert not Flag.objects.filter(comment=comment).exists()


def test_author_gets_no_flag_link_and_may_not_flag_their_own_comment(demo, comment):
    client = sign_in(demo.group_member)
    page = client.get(comment.lesson.get_absolute_url()).content.decode()
    assert flag_url(comment) not in page
    assert client.get(flag_url(comment)).status_code == 403
    with pytest.raises(PermissionDenied):
        moderation.comment_flag_raise(
            acting_user=demo.group_member, comment=comment, reason="other"
        )


def test_reader_outside_the_home_space_gets_404_for_flagging_a_comment(demo, write_lesson):
    # Priya may read this lesson (for every network), not its discussion.
    lesson = write_lesson(author=demo.member, audience="all_networks")
    comment = discussion.comment_create(
        acting_user=demo.group_member, lesson=lesson, body="Inside talk"
    ).comment
    client = sign_in(demo.outsider)
    assert client.get(lesson.get_absolute_url()).status_code == 200
    assert client.get(flag_url(comment)).status_code == 404
    assert client.post(flag_url(comment), {"reason": "other"}).status_code == 404
    with pytest.raises(PermissionDenied):
        moderation.comment_flag_raise(acting_user=demo.outsider, comment=comment, reason="other")
    assert not Flag.objects.filter(comment=comment).exists()
    assert sign_in(demo.suspended).get(flag_url(comment)).status_code == 404


def test_a_comment_of_another_lesson_under_this_lessons_address_is_404(demo, comment, write_lesson):
    other = write_lesson(author=demo.member, title="Another lesson")
    url = reverse("moderation:comment_flag", args=[other.pk, comment.pk])
    assert sign_in(demo.member).get(url).status_code == 404


def test_flags_past_the_threshold_hide_the_comment_once_counting_distinct_members(demo, comment):
    author = comment.author
    third = a_danish_member(demo.digital_nations)
    for _ in range(3):  # one person's repeated flags count once
        moderation.comment_flag_raise(acting_user=demo.member, comment=comment, reason="other")
    moderation.comment_flag_raise(acting_user=demo.convenor, comment=comment, reason="rules")
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert comment.flags.count() == 2
    moderation.comment_flag_raise(acting_user=third, comment=comment, reason="sensitive")
    comment.refresh_from_db()
    assert comment.is_hidden
    assert comment.hidden_by is None
    assert comment.hidden_reason == ""  # no words stored: `hidden_note` writes them when shown
    assert comment.hidden_note == "Flagged by several members; waiting for a moderator."
    assert events("comment.hide_by_flags") == 1
    assert told(author, "comment.hide_by_flags") == 1
    # Hidden, it can be flagged no more: the threshold hides it once.
    with pytest.raises(PermissionDenied):
        moderation.comment_flag_raise(acting_user=demo.moderator, comment=comment, reason="other")
    assert events("comment.hide_by_flags") == 1
    assert comment.flags.filter(resolved_at__isnull=True).count() == 3
    for reader in (demo.member, third):
        page = sign_in(reader).get(comment.lesson.get_absolute_url()).content.decode()
        assert "Hidden by a moderator." in page
        assert "overcharged" not in page
    moderator_page = sign_in(demo.moderator).get(comment.lesson.get_absolute_url()).content.decode()
    assert "overcharged" in moderator_page
    assert "Hidden by a moderator: only the network’s moderators see it." in moderator_page


def test_threshold_is_the_networks_own(demo, comment):
    demo.digital_nations.flag_threshold = 1
    demo.digital_nations.save(update_fields=["flag_threshold"])
    moderation.comment_flag_raise(acting_user=demo.member, comment=comment, reason="other")
    comment.refresh_from_db()
    assert comment.is_hidden


def test_flagging_comments_is_rate_limited_per_official(demo, comment, settings):
    settings.USER_RATE_LIMITS = {**settings.USER_RATE_LIMITS, "flag": "2/h"}
    client = sign_in(demo.member)
    statuses = [client.post(flag_url(comment), {"reason": "other"}).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert Flag.objects.filter(comment=comment).count() == 1


# The workbench


def test_queue_lists_flagged_comments_with_every_flags_reason_note_and_reporter(demo):
    body = sign_in(demo.moderator).get(reverse("moderation:queue", args=["digital-nations"]))
    page = body.content.decode()
    assert "Flagged comments" in page
    assert "Comment by Min-jun Kim on “AI chatbot for tax questions" in page
    assert SEEDED in page  # the excerpt
    assert "Complaints fell by half in the pilot month only" in page
    assert "Could the figures get a source before we quote them?" in page
    assert "Inaccurate" in page
    assert "Kadri Tamm" in page
    seeded = Comment.objects.get(body__startswith=SEEDED)
    assert item_url(seeded) in page
    assert not seeded.is_hidden  # one flag short of the threshold: still shown to members


def test_hide_needs_a_reason_then_hides_resolves_audits_and_tells_the_author(
    demo, mailoutbox, run_worker, django_capture_on_commit_callbacks
):
    comment = Comment.objects.get(body__startswith=SEEDED)
    client = sign_in(demo.moderator)
    assert client.get(item_url(comment)).status_code == 200
    before = events()
    refused = act(client, comment, "hide", **{"hide-reason": " "})
    assert refused.status_code == 400
    assert "There is a problem" in refused.content.decode()
    assert events() == before
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, comment, "hide", **{"hide-reason": "Figures not sourced."})
    run_worker()
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_hidden
    assert comment.hidden_by == demo.moderator
    assert comment.hidden_reason == "Figures not sourced."
    assert not comment.flags.filter(resolved_at__isnull=True).exists()
    assert comment.flags.filter(resolved_by=demo.moderator).count() == 2
    assert events() == before + 1
    assert events("comment.hide") == 1
    assert told(comment.author, "comment.hide") == 1
    to_author = [m for m in mailoutbox if m.to == [comment.author.email]]
    assert len(to_author) == 1
    assert "hid your comment" in to_author[0].subject
    member_page = sign_in(demo.member).get(comment.lesson.get_absolute_url()).content.decode()
    assert "Hidden by a moderator." in member_page
    assert SEEDED not in member_page
    queue = client.get(reverse("moderation:queue", args=["digital-nations"])).content.decode()
    assert SEEDED not in queue  # decided: it leaves the queue


def test_restore_needs_a_reason_shows_the_comment_again_and_tells_the_author(demo, comment):
    moderation.comment_hide(acting_user=demo.moderator, comment=comment, reason="Names a firm.")
    client = sign_in(demo.convenor)  # the convenor moderates too
    assert act(client, comment, "restore", **{"restore-reason": ""}).status_code == 400
    comment.refresh_from_db()
    assert comment.is_hidden
    before = events()
    act(client, comment, "restore", **{"restore-reason": "The firm agreed to be named."})
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert comment.hidden_by is None
    assert comment.hidden_reason == ""
    assert events() == before + 1
    assert events("comment.restore") == 1
    assert told(comment.author, "comment.restore") == 1
    page = sign_in(demo.member).get(comment.lesson.get_absolute_url()).content.decode()
    assert "Our supplier <strong>Acme</strong> overcharged." in page


def test_restore_resolves_the_flags_that_hid_a_comment(demo, comment):
    demo.digital_nations.flag_threshold = 2
    demo.digital_nations.save(update_fields=["flag_threshold"])
    for reporter in (demo.member, demo.convenor):
        moderation.comment_flag_raise(acting_user=reporter, comment=comment, reason="other")
    comment.refresh_from_db()
    assert comment.is_hidden
    moderation.comment_restore(acting_user=demo.moderator, comment=comment, reason="Fine.")
    assert not comment.flags.filter(resolved_at__isnull=True).exists()
    # Resolved flags count no more: flagging starts again from nothing.
    moderation.comment_flag_raise(acting_user=demo.member, comment=comment, reason="other")
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_dismissing_flags_resolves_them_and_leaves_the_comment_shown(demo):
    comment = Comment.objects.get(body__startswith=SEEDED)
    before, notifications = events(), Notification.objects.count()
    response = act(sign_in(demo.moderator), comment, "dismiss")
    assert response.status_code == 302
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert not comment.flags.filter(resolved_at__isnull=True).exists()
    assert events() == before + 1
    assert events("comment.flags_dismiss") == 1
    assert Notification.objects.count() == notifications  # the author was never told of them
    refused = act(sign_in(demo.moderator), comment, "dismiss")  # nothing left to dismiss
    assert refused.status_code == 302
    assert events() == before + 1


def test_hiding_twice_is_refused_and_writes_nothing(demo, comment):
    moderation.comment_hide(acting_user=demo.moderator, comment=comment, reason="Names a firm.")
    before = events()
    with pytest.raises(ActionRefused):
        moderation.comment_hide(acting_user=demo.moderator, comment=comment, reason="Again")
    assert events() == before


def test_lock_needs_a_reason_closes_comments_and_replies_and_tells_the_author(
    demo, comment, mailoutbox, run_worker, django_capture_on_commit_callbacks
):
    lesson = comment.lesson
    client = sign_in(demo.moderator)
    assert lesson_act(client, lesson, "lock", **{"lock-reason": ""}).status_code == 400
    lesson.refresh_from_db()
    assert not lesson.comments_locked
    before = events()
    with django_capture_on_commit_callbacks(execute=True):
        lesson_act(client, lesson, "lock", **{"lock-reason": "The thread went off topic."})
    run_worker()
    lesson.refresh_from_db()
    assert lesson.comments_locked
    assert events() == before + 1
    assert events("comments.lock") == 1
    assert told(lesson.author, "comments.lock") == 1
    closed = [m.to for m in mailoutbox if "closed the comments" in m.subject]
    assert closed == [[lesson.author.email]]
    member = sign_in(demo.convenor)
    page = member.get(lesson.get_absolute_url()).content.decode()
    assert "Comments on this lesson are closed." in page
    for url in (
        reverse("discussion:comment_create", args=[lesson.pk]),
        reverse("discussion:comment_reply", args=[lesson.pk, comment.pk]),
    ):
        response = member.post(url, {"body": "After the lock", "creation_token": str(uuid.uuid4())})
        assert "Comments on this lesson are closed." in response.content.decode()
    assert not Comment.objects.filter(body="After the lock").exists()
    with pytest.raises(ActionRefused):
        discussion.comment_create(acting_user=demo.convenor, lesson=lesson, body="After the lock")

    lesson_act(client, lesson, "unlock")
    lesson.refresh_from_db()
    assert not lesson.comments_locked
    assert events() == before + 2
    assert told(lesson.author, "comments.unlock") == 1
    discussion.comment_create(acting_user=demo.convenor, lesson=lesson, body="Open again")


def test_moderator_of_another_network_gets_404_for_comment_items_and_actions(demo):
    comment = Comment.objects.get(body__startswith=SEEDED)
    other = sign_in(demo.dpi_convenor)  # moderates the DPI Peer Network only
    assert other.get(item_url(comment)).status_code == 404
    assert act(other, comment, "hide", **{"hide-reason": "x"}).status_code == 404
    assert act(other, comment, "dismiss").status_code == 404
    lesson = comment.lesson
    assert lesson_act(other, lesson, "lock", **{"lock-reason": "x"}).status_code == 404
    with pytest.raises(PermissionDenied):
        moderation.comment_hide(acting_user=demo.dpi_convenor, comment=comment, reason="x")
    with pytest.raises(PermissionDenied):
        moderation.lesson_comments_lock(
            acting_user=demo.dpi_convenor, lesson=lesson, locked=True, reason="x"
        )
    # Under his own network's address, a Digital Nations comment does not exist for him.
    assert other.get(item_url(comment, slug="dpi-peer-network")).status_code == 404
    assert act(other, comment, "dismiss", slug="dpi-peer-network").status_code == 404
    comment.refresh_from_db()
    assert comment.flags.filter(resolved_at__isnull=True).count() == 2
    assert not comment.is_hidden


def test_a_dpi_comment_is_404_in_the_digital_nations_workbench(demo):
    dpi_comment = Comment.objects.get(lesson__network=demo.dpi, parent__isnull=True)
    assert sign_in(demo.moderator).get(item_url(dpi_comment)).status_code == 404


def test_members_get_403_and_services_refuse_them(demo):
    comment = Comment.objects.get(body__startswith=SEEDED)
    member = sign_in(demo.member)
    assert member.get(item_url(comment)).status_code == 403
    assert act(member, comment, "hide", **{"hide-reason": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        moderation.comment_hide(acting_user=demo.member, comment=comment, reason="x")
    with pytest.raises(PermissionDenied):
        moderation.comment_flags_dismiss(acting_user=demo.member, comment=comment)
    with pytest.raises(PermissionDenied):
        moderation.lesson_comments_lock(
            acting_user=demo.member, lesson=comment.lesson, locked=True, reason="x"
        )
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_moderator_sees_a_moderate_link_on_each_comment(demo, comment):
    page = sign_in(demo.moderator).get(comment.lesson.get_absolute_url()).content.decode()
    assert item_url(comment) in page
    member_page = sign_in(demo.member).get(comment.lesson.get_absolute_url()).content.decode()
    assert item_url(comment) not in member_page


def test_reporters_export_names_the_lesson_of_a_flagged_comment_not_its_author(demo, comment):
    import json

    from networks import account_services

    moderation.comment_flag_raise(acting_user=demo.member, comment=comment, reason="other")
    data = account_services.account_export_data(acting_user=demo.member)
    raised = [flag for flag in data["flags_raised"] if flag["comment"] == comment.pk]
    assert raised[0]["lesson"] == {"id": comment.lesson_id, "title": comment.lesson.title}
    # Her own writings may mention other members by name; nothing else names the comment's.
    own_writings = ("lessons", "comments", "questions", "answers")
    rest = {key: value for key, value in data.items() if key not in own_writings}
    assert comment.author.full_name not in json.dumps(rest, ensure_ascii=False)
