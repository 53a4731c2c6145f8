"""The workbench acts on several items at once: ticked in the queue, listed on a confirmation
page, done on its POST; each item judged again then, each with its own audit event; a double
submit acts once; another network's items are never touched. And the flag threshold is the
convenor's to set, in the network's settings."""

import re
import uuid

from django.urls import reverse

from discussion.models import Comment
from lessons.models import Lesson
from moderation import services as moderation
from moderation.models import Flag
from networks.models import AuditEvent, Network
from tests.networks.conftest import sign_in

BULK = reverse("moderation:bulk", args=["digital-nations"])
QUEUE = reverse("moderation:queue", args=["digital-nations"])


def _review():
    return Lesson.objects.get(title__startswith="Digital service standard")


def _flagged():
    return Lesson.objects.get(title__startswith="AI chatbot for tax questions")


def _flagged_comment():
    return Comment.objects.get(body__startswith="A button on every answer")


def _events(action):
    return AuditEvent.objects.filter(action=action).count()


def test_the_queue_offers_a_checkbox_per_item_and_the_actions(demo):
    page = sign_in(demo.moderator).get(QUEUE).content.decode()
    assert f'name="lesson" value="{_review().pk}"' in page
    assert f'name="lesson" value="{_flagged().pk}"' in page
    assert f'name="comment" value="{_flagged_comment().pk}"' in page
    assert f'for="choose-lesson-{_flagged().pk}"' in page  # each box has a label
    assert 'value="dismiss"' in page
    assert 'value="approve"' in page


def test_the_confirmation_lists_what_will_be_done_and_changes_nothing(demo):
    review, flagged = _review(), _flagged()
    response = sign_in(demo.moderator).get(
        BULK, {"action": "hide", "lesson": [review.pk, flagged.pk]}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "It will be done to these 2 items" in page
    assert review.title in page
    assert flagged.title in page
    assert 'method="post"' in page
    assert 'name="submission_token"' in page
    assert not Lesson.objects.filter(pk__in=[review.pk, flagged.pk], is_hidden=True).exists()


def test_several_items_are_hidden_at_once_each_audited_and_told(demo):
    flagged, comment = _flagged(), _flagged_comment()
    before = _events("lesson.hide"), _events("comment.hide")
    response = sign_in(demo.moderator).post(
        BULK,
        {
            "action": "hide",
            "lesson": [flagged.pk],
            "comment": [comment.pk],
            "reason": "Figures without a source.",
        },
        follow=True,
    )
    assert "2 items are done." in response.content.decode()
    flagged.refresh_from_db()
    comment.refresh_from_db()
    assert flagged.is_hidden
    assert flagged.hidden_reason == "Figures without a source."
    assert comment.is_hidden
    assert (_events("lesson.hide"), _events("comment.hide")) == (before[0] + 1, before[1] + 1)


def test_hiding_without_a_reason_shows_the_error_and_does_nothing(demo):
    flagged = _flagged()
    response = sign_in(demo.moderator).post(
        BULK, {"action": "hide", "lesson": [flagged.pk], "reason": ""}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert re.search(r"<title>\s*Error:", page)
    assert flagged.title in page  # the chosen items are still listed
    flagged.refresh_from_db()
    assert not flagged.is_hidden


def test_approve_publishes_what_waits_and_leaves_what_does_not_apply(demo):
    review, flagged = _review(), _flagged()
    response = sign_in(demo.moderator).post(
        BULK, {"action": "approve", "lesson": [review.pk, flagged.pk]}, follow=True
    )
    page = response.content.decode()
    assert "1 item is done." in page
    assert "1 item was left as it is" in page
    review.refresh_from_db()
    assert review.state == Lesson.State.PUBLISHED
    assert AuditEvent.objects.filter(action="lesson.approve", target_id=str(review.pk)).exists()


def test_dismissing_flags_resolves_them_on_lessons_and_comments(demo):
    flagged, comment = _flagged(), _flagged_comment()
    sign_in(demo.moderator).post(
        BULK, {"action": "dismiss", "lesson": [flagged.pk], "comment": [comment.pk]}
    )
    assert not Flag.objects.filter(lesson=flagged, resolved_at__isnull=True).exists()
    assert not Flag.objects.filter(comment=comment, resolved_at__isnull=True).exists()
    assert _events("comment.flags_dismiss") == 1
    assert _events("lesson.restore_from_moderation") == 1


def test_an_item_that_changed_meanwhile_is_left_as_it_is(demo):
    flagged = _flagged()
    client = sign_in(demo.moderator)
    confirm = client.get(BULK, {"action": "hide", "lesson": [flagged.pk]}).content.decode()
    assert flagged.title in confirm
    # Another moderator hides it before this one confirms.
    moderation.lesson_hide(acting_user=demo.convenor, lesson=flagged, reason="First.")
    response = client.post(
        BULK, {"action": "hide", "lesson": [flagged.pk], "reason": "Second."}, follow=True
    )
    assert "1 item was left as it is" in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.hidden_reason == "First."
    assert _events("lesson.hide") == 1


def test_a_double_submit_acts_once(demo):
    flagged, comment = _flagged(), _flagged_comment()
    client = sign_in(demo.moderator)
    data = {
        "action": "hide",
        "lesson": [flagged.pk],
        "comment": [comment.pk],
        "reason": "Unsourced.",
        "submission_token": str(uuid.uuid4()),
    }
    first = client.post(BULK, data)
    second = client.post(BULK, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert _events("lesson.hide") == 1
    assert _events("comment.hide") == 1


def test_another_networks_items_are_never_touched(demo):
    dpi_lesson = (
        Lesson.objects.filter(network=demo.dpi, state=Lesson.State.PUBLISHED)
        .exclude(is_hidden=True)
        .first()
    )
    sign_in(demo.moderator).post(
        BULK, {"action": "hide", "lesson": [dpi_lesson.pk], "reason": "Not mine."}
    )
    dpi_lesson.refresh_from_db()
    assert not dpi_lesson.is_hidden
    assert _events("lesson.hide") == 0


def test_only_the_networks_moderators_reach_the_confirmation(demo):
    query = {"action": "hide", "lesson": [_flagged().pk]}
    assert sign_in(demo.dpi_convenor).get(BULK, query).status_code == 404  # outsider here
    assert sign_in(demo.outsider).get(BULK, query).status_code == 404
    assert sign_in(demo.member).get(BULK, query).status_code == 403
    assert sign_in(demo.dpi_convenor).post(BULK, {**query, "reason": "x"}).status_code == 404
    assert not _flagged().is_hidden
    assert sign_in(demo.moderator).get(BULK, {"action": "explode"}).status_code == 404


# The flag threshold


def test_the_threshold_defaults_to_three_flags():
    assert Network().flag_threshold == 3


def _settings(network, **changes):
    return {
        "purpose": network.purpose,
        "is_listed": "on" if network.is_listed else "",
        "default_attribution": network.default_attribution,
        "flag_threshold": network.flag_threshold,
        **changes,
    }


def test_the_convenor_sets_the_threshold_and_one_flag_then_hides(demo, write_lesson):
    network = demo.digital_nations
    client = sign_in(demo.convenor)
    settings_url = reverse("networks:settings", args=[network.slug])
    page = client.get(settings_url).content.decode()
    assert 'name="flag_threshold"' in page
    assert 'value="3"' in page
    client.post(settings_url, _settings(network, flag_threshold=1))
    network.refresh_from_db()
    assert network.flag_threshold == 1
    assert AuditEvent.objects.filter(
        action="network.update", changes__flag_threshold=[3, 1]
    ).exists()
    lesson = write_lesson(author=demo.member)
    moderation.flag_raise(acting_user=demo.group_member, lesson=lesson, reason=Flag.Reason.OTHER)
    lesson.refresh_from_db()
    assert lesson.is_hidden


def test_a_threshold_out_of_range_is_refused_and_kept_as_typed(demo):
    network = demo.digital_nations
    client = sign_in(demo.convenor)
    settings_url = reverse("networks:settings", args=[network.slug])
    for wrong in (0, 21):
        response = client.post(settings_url, _settings(network, flag_threshold=wrong))
        page = response.content.decode()
        assert "There is a problem" in page
        assert f'value="{wrong}"' in page
    network.refresh_from_db()
    assert network.flag_threshold == 3
