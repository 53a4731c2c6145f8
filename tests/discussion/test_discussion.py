"""Comments inside the home space: posting, replying, editing, deleting, hiding, mentioning,
following, and bad input that loses nothing typed and creates at most one comment."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from discussion import services as discussion
from discussion.models import COMMENT_MAX_LENGTH, Comment, Follow
from lessons import services
from lessons.models import Lesson
from networks.models import Membership
from networks.services import ActionRefused
from notifications.models import Notification
from tests.networks.conftest import sign_in


def post_comment(client, lesson, body, **extra):
    return client.post(
        reverse("discussion:comment_create", args=[lesson.pk]),
        {"body": body, "creation_token": str(uuid.uuid4()), **extra},
    )


def test_member_comments_and_replies_and_the_page_shows_them(demo, write_lesson):
    lesson = write_lesson(author=demo.group_member)
    client = sign_in(demo.member)
    response = post_comment(client, lesson, "How did you handle **procurement**?")
    comment = Comment.objects.get(lesson=lesson)
    assert response.status_code == 302
    assert response["Location"] == comment.get_absolute_url()
    reply = client.post(
        reverse("discussion:comment_reply", args=[lesson.pk, comment.pk]),
        {"body": "Through the framework contract.", "creation_token": str(uuid.uuid4())},
    )
    assert reply.status_code == 302
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "<strong>procurement</strong>" in page
    assert "Through the framework contract." in page
    assert "2 comments" in page
    assert Comment.objects.get(body="Through the framework contract.").parent == comment


def test_a_reply_to_a_reply_joins_the_same_thread(demo, write_lesson):
    lesson = write_lesson(author=demo.group_member)
    top = discussion.comment_create(acting_user=demo.member, lesson=lesson, body="Top").comment
    reply = discussion.comment_create(
        acting_user=demo.moderator, lesson=lesson, body="Reply", parent=top
    ).comment
    deeper = discussion.comment_create(
        acting_user=demo.convenor, lesson=lesson, body="Deeper", parent=reply
    ).comment
    assert deeper.parent == top


def test_markdown_in_comments_is_sanitised(demo, write_lesson):
    lesson = write_lesson(author=demo.group_member)
    discussion.comment_create(
        acting_user=demo.member,
        lesson=lesson,
        body="<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>",
    )
    page = sign_in(demo.member).get(lesson.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert 'href="javascript' not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)" in page  # shown as text, never run


def test_double_submit_creates_one_comment(demo, write_lesson):
    lesson = write_lesson(author=demo.group_member)
    client = sign_in(demo.member)
    data = {"body": "Clicked twice", "creation_token": str(uuid.uuid4())}
    url = reverse("discussion:comment_create", args=[lesson.pk])
    first = client.post(url, data)
    second = client.post(url, data)
    assert Comment.objects.filter(lesson=lesson, body="Clicked twice").count() == 1
    assert first["Location"] == second["Location"]
    # The author of the lesson hears of it once.
    assert Notification.objects.filter(recipient=demo.group_member, lesson=lesson).count() == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("   ", "Write your comment before posting it."),
        ("x" * (COMMENT_MAX_LENGTH + 1), "Keep your comment to 5,000 characters or fewer"),
    ],
)
def test_bad_input_is_answered_and_what_was_typed_is_kept(demo, write_lesson, body, message):
    lesson = write_lesson(author=demo.group_member)
    response = post_comment(sign_in(demo.member), lesson, body)
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert "There is a problem" in text
    if body.strip():
        assert body in text  # kept in the text box
    assert not Comment.objects.filter(lesson=lesson).exists()


def test_posting_to_a_lesson_out_of_reach_is_404_and_gives_back_what_was_typed(demo, write_lesson):
    lesson = write_lesson(author=demo.group_member)
    client = sign_in(demo.member)
    Membership.objects.filter(user=demo.member, network=demo.digital_nations).update(
        state=Membership.State.SUSPENDED
    )
    out_of_reach = post_comment(client, lesson, "My careful thoughts")
    missing = post_comment_to(client, 999_999, "My careful thoughts")
    assert out_of_reach.status_code == missing.status_code == 404
    assert "My careful thoughts" in out_of_reach.content.decode()
    assert out_of_reach.content == missing.content  # a private lesson looks like a missing one
    assert not Comment.objects.filter(lesson=lesson).exists()


def post_comment_to(client, pk, body):
    return client.post(
        reverse("discussion:comment_create", args=[pk]),
        {"body": body, "creation_token": str(uuid.uuid4())},
    )


def test_reader_outside_the_home_space_cannot_post_even_on_a_lesson_they_read(demo, write_lesson):
    lesson = write_lesson(author=demo.group_member, audience="all_networks")
    client = sign_in(demo.outsider)
    assert client.get(lesson.get_absolute_url()).status_code == 200
    assert post_comment(client, lesson, "From outside").status_code == 404
    with pytest.raises(PermissionDenied):
        discussion.comment_create(acting_user=demo.outsider, lesson=lesson, body="From outside")
    assert not Comment.objects.filter(lesson=lesson).exists()


def test_locked_lesson_shows_comments_are_closed_and_refuses_posts(demo, write_lesson):
    lesson = write_lesson(author=demo.group_member)
    discussion.comment_create(acting_user=demo.member, lesson=lesson, body="Before the lock")
    Lesson.objects.filter(pk=lesson.pk).update(comments_locked=True)
    client = sign_in(demo.member)
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "Comments on this lesson are closed." in page
    assert "Before the lock" in page
    assert "Post comment" not in page
    response = post_comment(client, lesson, "After the lock")
    assert response.status_code == 200
    assert "Comments on this lesson are closed." in response.content.decode()
    assert "After the lock" in response.content.decode()
    assert not Comment.objects.filter(body="After the lock").exists()


def test_edit_keeps_earlier_versions_behind_the_edited_mark(demo, write_lesson):
    lesson = write_lesson(author=demo.group_member)
    comment = discussion.comment_create(
        acting_user=demo.member, lesson=lesson, body="First thought"
    ).comment
    client = sign_in(demo.member)
    response = client.post(
        reverse("discussion:comment_edit", args=[lesson.pk, comment.pk]), {"body": "Second thought"}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Second thought"
    assert comment.edited_at is not None
    page = client.get(lesson.get_absolute_url()).content.decode()
    history_url = reverse("discussion:comment_history", args=[lesson.pk, comment.pk])
    assert history_url in page
    history = client.get(history_url).content.decode()
    assert "First thought" in history
    assert "Second thought" in history
    # Another member sees the history too, but may not edit.
    other = sign_in(demo.moderator)
    assert other.get(history_url).status_code == 200
    edit_url = reverse("discussion:comment_edit", args=[lesson.pk, comment.pk])
    assert other.post(edit_url, {"body": "Not mine"}).status_code == 403


def test_delete_leaves_a_placeholder_and_the_replies_keep_their_place(demo, write_lesson):
    lesson = write_lesson(author=demo.group_member)
    comment = discussion.comment_create(
        acting_user=demo.member, lesson=lesson, body="Soon gone"
    ).comment
    discussion.comment_create(
        acting_user=demo.moderator, lesson=lesson, body="A reply that stays", parent=comment
    )
    client = sign_in(demo.member)
    delete_url = reverse("discussion:comment_delete", args=[lesson.pk, comment.pk])
    assert client.get(delete_url).status_code == 200
    assert client.post(delete_url).status_code == 302
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "Comment deleted." in page
    assert "Soon gone" not in page
    assert "A reply that stays" in page
    history = reverse("discussion:comment_history", args=[lesson.pk, comment.pk])
    assert client.get(history).status_code == 404
    with pytest.raises(ActionRefused):
        discussion.comment_create(
            acting_user=demo.member, lesson=lesson, body="To the dead", parent=comment
        )


def test_hidden_comment_reads_hidden_by_a_moderator_except_to_the_moderators(demo, write_lesson):
    lesson = write_lesson(author=demo.group_member)
    comment = discussion.comment_create(
        acting_user=demo.member, lesson=lesson, body="Something regrettable"
    ).comment
    Comment.objects.filter(pk=comment.pk).update(
        is_hidden=True, hidden_by=demo.moderator, hidden_reason="Names a supplier"
    )
    for reader in (demo.member, demo.group_member):
        page = sign_in(reader).get(lesson.get_absolute_url()).content.decode()
        assert "Hidden by a moderator." in page
        assert "Something regrettable" not in page
    for moderator in (demo.moderator, demo.convenor):
        page = sign_in(moderator).get(lesson.get_absolute_url()).content.decode()
        assert "Something regrettable" in page
        assert "Names a supplier" in page


def test_reader_outside_sees_a_count_free_note_and_nothing_of_the_discussion(demo, write_lesson):
    lesson = write_lesson(author=demo.group_member, audience="all_networks")
    discussion.comment_create(acting_user=demo.member, lesson=lesson, body="Inside talk")
    page = sign_in(demo.outsider).get(lesson.get_absolute_url()).content.decode()
    assert "The discussion of this lesson is private to the members of its home space." in page
    assert "Inside talk" not in page
    assert "1 comment" not in page
    assert 'id="discussion"' not in page
    assert reverse("discussion:comment_create", args=[lesson.pk]) not in page


def test_group_lesson_discussion_is_for_the_group_and_the_moderators(demo, write_lesson):
    group = demo.digital_nations.working_groups.get(slug="digital-identity")
    lesson = write_lesson(author=demo.group_member, group=group, audience="network")
    discussion.comment_create(acting_user=demo.convenor, lesson=lesson, body="Group talk")
    assert "Group talk" in sign_in(demo.moderator).get(lesson.get_absolute_url()).content.decode()
    page = sign_in(demo.member).get(lesson.get_absolute_url()).content.decode()
    assert "Group talk" not in page  # Lucía reads the lesson (network audience), not its talk
    assert post_comment(sign_in(demo.member), lesson, "Me too").status_code == 404


def test_mention_suggestions_offer_only_the_home_space(demo, write_lesson):
    group = demo.digital_nations.working_groups.get(slug="digital-identity")
    lesson = write_lesson(author=demo.group_member, group=group, audience="all_networks")
    url = reverse("discussion:mention_suggestions", args=[lesson.pk])
    names = {
        official["name"] for official in sign_in(demo.convenor).get(url + "?q=").json()["officials"]
    }
    # Min-jun and Kadri are the group; João moderates the network. Lucía is not in the group,
    # Aroha is suspended, Priya is of another network.
    assert names == {"Min-jun Kim", "João Silva"}
    assert sign_in(demo.convenor).get(url + "?q=luc").json() == {"officials": []}
    assert sign_in(demo.convenor).get(url + "?q=pri").json() == {"officials": []}
    for outside in (demo.member, demo.outsider, demo.suspended):
        assert sign_in(outside).get(url + "?q=a").status_code == 404


def test_mention_reaches_a_member_and_someone_outside_the_space_is_told_nothing(demo, write_lesson):
    lesson = write_lesson(author=demo.group_member)
    client = sign_in(demo.member)
    response = post_comment(
        client, lesson, "Thanks @joão silva; and @Priya Sharma, @Aroha Ngata, what do you think?"
    )
    comment = Comment.objects.get(lesson=lesson)
    assert list(comment.mentions.all()) == [demo.moderator]
    assert Notification.objects.filter(
        recipient=demo.moderator, kind=Notification.Kind.MENTION, comment=comment
    ).exists()
    assert not Notification.objects.filter(recipient__in=[demo.outsider, demo.suspended]).filter(
        comment=comment
    )
    shown = client.get(response["Location"]).content.decode()
    assert "No one called @Priya is in this lesson’s space, so no one was told." in shown
    assert "No one called @Aroha is in this lesson’s space" in shown


def test_editing_in_a_new_mention_tells_only_the_newly_mentioned(demo, write_lesson):
    lesson = write_lesson(author=demo.group_member)
    comment = discussion.comment_create(
        acting_user=demo.member, lesson=lesson, body="Hello @João Silva"
    ).comment
    before = Notification.objects.count()
    discussion.comment_edit(
        acting_user=demo.member, comment=comment, body="Hello @João Silva and @Kadri Tamm"
    )
    new = Notification.objects.order_by("-pk")[: Notification.objects.count() - before]
    assert [(n.recipient, n.kind) for n in new] == [(demo.convenor, Notification.Kind.MENTION)]


def test_commenting_follows_and_following_is_a_choice(demo, write_lesson):
    lesson = write_lesson(author=demo.group_member)
    assert Follow.objects.filter(user=demo.group_member, lesson=lesson).exists()  # the author
    discussion.comment_create(acting_user=demo.member, lesson=lesson, body="Hi")
    assert Follow.objects.filter(user=demo.member, lesson=lesson).exists()
    client = sign_in(demo.member)
    follow_url = reverse("discussion:follow", args=[lesson.pk])
    client.post(follow_url, {"follow": "no"})
    assert not Follow.objects.filter(user=demo.member, lesson=lesson).exists()
    discussion.comment_create(acting_user=demo.moderator, lesson=lesson, body="A new one")
    assert not Notification.objects.filter(recipient=demo.member, comment__body="A new one")
    client.post(follow_url, {"follow": "yes"})
    discussion.comment_create(acting_user=demo.moderator, lesson=lesson, body="And another")
    assert Notification.objects.filter(
        recipient=demo.member,
        comment__body="And another",
        kind=Notification.Kind.FOLLOWED_COMMENT,
    ).exists()
    assert sign_in(demo.outsider).post(follow_url, {"follow": "yes"}).status_code == 404


def test_find_mentions_matches_full_names_and_reports_the_rest(demo):
    members = [demo.member, demo.moderator, demo.group_member]
    found, unmatched = discussion.find_mentions(
        "@Lucía Pérez, @MIN-JUN KIM and @João Silvana and @nobody. mail me at a@gov.pt",
        members,
    )
    assert found == [demo.member, demo.group_member]
    assert unmatched == ["@João", "@nobody"]


def test_a_mention_typed_without_accents_finds_the_official(demo):
    members = [demo.member, demo.moderator]
    found, unmatched = discussion.find_mentions("Thanks @joao silva and @LUCIA PEREZ!", members)
    assert found == [demo.moderator, demo.member]
    assert unmatched == []


def test_withdrawn_lesson_keeps_its_discussion_closed_for_the_moderators(demo, write_lesson):
    lesson = write_lesson(author=demo.group_member)
    discussion.comment_create(acting_user=demo.member, lesson=lesson, body="Said before")
    services.lesson_withdraw(acting_user=demo.group_member, lesson=lesson)
    page = sign_in(demo.moderator).get(lesson.get_absolute_url()).content.decode()
    assert "Said before" in page
    assert "The lesson is withdrawn: its discussion is closed." in page
    with pytest.raises(ActionRefused):
        discussion.comment_create(acting_user=demo.moderator, lesson=lesson, body="Too late")
