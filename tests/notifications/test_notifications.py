"""Notifications and their email: exactly who hears of each event, nothing from a rolled-back
action, nothing for anyone outside the home space, suspended or deactivated, and the one-click
unsubscribe. Emails are sent by the real database worker (`run_worker`)."""

import contextlib
import email.policy
import re
import uuid

import pytest
from django.db import transaction
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import translation

from discussion import services as discussion
from discussion.models import Follow
from lessons import services
from lessons.models import Lesson
from networks import services as network_services
from networks.account_services import account_deactivate
from networks.models import JoinRequest, Membership, User
from notifications import access as notification_access
from notifications import digests
from notifications import services as notifications
from notifications.models import Delivery, Notification, NotificationPreference
from tests.networks.conftest import membership, sign_in

Kind = Notification.Kind
NBSP = "\N{NO-BREAK SPACE}"  # French puts one inside its quotation marks


@pytest.fixture
def event(django_capture_on_commit_callbacks, mailoutbox, run_worker):
    """Run an action as a request would (committed, so its emails are enqueued), then the
    worker; return the addresses emailed, one entry per email, sorted."""

    def run(action):
        already = len(mailoutbox)
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        run_worker()
        sent = mailoutbox[already:]
        return result, sorted(address for message in sent for address in message.to)

    return run


def _lesson(write_lesson, demo, **kwargs):
    return write_lesson(author=kwargs.pop("author", demo.group_member), **kwargs)


def _danish_official(email="mette.jensen@digst.dk"):
    from networks.models import Country

    return User.objects.create_user(
        email, "x", full_name="Mette Jensen", country=Country.objects.get(code="DK")
    )


def case_comment(demo, write_lesson):
    lesson = _lesson(write_lesson, demo)
    return lambda: discussion.comment_create(acting_user=demo.member, lesson=lesson, body="Q?")


def case_reply(demo, write_lesson):
    lesson = _lesson(write_lesson, demo)
    top = discussion.comment_create(acting_user=demo.member, lesson=lesson, body="Q?").comment
    return lambda: discussion.comment_create(
        acting_user=demo.convenor, lesson=lesson, body="A.", parent=top
    )


def case_mention(demo, write_lesson):
    lesson = _lesson(write_lesson, demo)
    return lambda: discussion.comment_create(
        acting_user=demo.member, lesson=lesson, body="What would @João Silva say?"
    )


def case_mention_outside(demo, write_lesson):
    lesson = _lesson(write_lesson, demo, audience="all_networks")
    Follow.objects.create(user=demo.suspended, lesson=lesson)  # followed before her suspension
    return lambda: discussion.comment_create(
        acting_user=demo.member, lesson=lesson, body="@Priya Sharma, @Aroha Ngata?"
    )


def case_new_lesson(demo, write_lesson):
    return lambda: write_lesson(author=demo.member, title="Open data portals")


def case_new_group_lesson(demo, write_lesson):
    group = demo.digital_nations.working_groups.get(slug="digital-identity")
    return lambda: write_lesson(author=demo.group_member, group=group, title="Wallet pilots")


def case_audience_request(demo, write_lesson):
    lesson = _lesson(write_lesson, demo, author=demo.member)
    return lambda: services.lesson_change_audience(
        acting_user=demo.member, lesson=lesson, audience="all_networks"
    )


def case_audience_decision(demo, write_lesson):
    lesson = _lesson(write_lesson, demo, author=demo.member)
    request = services.lesson_change_audience(
        acting_user=demo.member, lesson=lesson, audience="public"
    )
    return lambda: services.audience_request_decide(
        acting_user=demo.moderator, request=request, approve=False
    )


def _dpi_lesson_in_review(demo, write_lesson):
    lesson = services.lesson_create(
        acting_user=demo.outsider,
        network=demo.dpi,
        data={
            "title": "Consent at scale",
            "summary": "What we changed.",
            "worked": "Plain words.",
            "did_not_work": "Long screens.",
            "stage": Lesson.Stage.PILOT,
            "outcome": Lesson.Outcome.MIXED,
            "language": "en",
        },
    )
    return services.lesson_publish(acting_user=demo.outsider, lesson=lesson)


def case_review_approved(demo, write_lesson):
    lesson = _dpi_lesson_in_review(demo, write_lesson)
    return lambda: services.lesson_review_approve(acting_user=demo.dpi_convenor, lesson=lesson)


def case_review_returned(demo, write_lesson):
    lesson = _dpi_lesson_in_review(demo, write_lesson)
    return lambda: services.lesson_review_return(
        acting_user=demo.dpi_convenor, lesson=lesson, message="Add the figures."
    )


def case_withdrawn_by_moderator(demo, write_lesson):
    lesson = _lesson(write_lesson, demo, author=demo.member)
    return lambda: services.lesson_withdraw(acting_user=demo.moderator, lesson=lesson)


def case_invitation(demo, write_lesson):
    _danish_official()
    return lambda: network_services.membership_invite(
        acting_user=demo.convenor, network=demo.digital_nations, email="mette.jensen@digst.dk"
    )


def case_join_approved(demo, write_lesson):
    applicant = _danish_official("lars.nielsen@digst.dk")
    join_request = JoinRequest.objects.create(user=applicant, network=demo.digital_nations)
    return lambda: network_services.join_request_approve(
        acting_user=demo.convenor, join_request=join_request
    )


# event -> (who is emailed, one entry per email; the notification kinds recorded, by recipient)
EVENTS = {
    "comment": (case_comment, ["minjun.kim@korea.kr"], {"minjun": Kind.COMMENT}),
    "reply": (
        case_reply,
        ["lucia.perez@gub.uy", "minjun.kim@korea.kr"],
        {"lucia": Kind.REPLY, "minjun": Kind.COMMENT},
    ),
    "mention": (
        case_mention,
        ["joao.silva@gov.pt", "minjun.kim@korea.kr"],
        {"joao": Kind.MENTION, "minjun": Kind.COMMENT},
    ),
    "mention of officials outside the space": (
        case_mention_outside,
        ["minjun.kim@korea.kr"],
        {"minjun": Kind.COMMENT},
    ),
    "new lesson": (
        case_new_lesson,
        ["joao.silva@gov.pt", "kadri.tamm@riik.ee", "minjun.kim@korea.kr"],
        {"joao": Kind.NEW_LESSON, "kadri": Kind.NEW_LESSON, "minjun": Kind.NEW_LESSON},
    ),
    "new lesson of a working group": (
        case_new_group_lesson,
        ["joao.silva@gov.pt", "kadri.tamm@riik.ee"],
        {"joao": Kind.NEW_LESSON, "kadri": Kind.NEW_LESSON},
    ),
    "audience widening asked": (
        case_audience_request,
        ["joao.silva@gov.pt", "kadri.tamm@riik.ee"],
        {"joao": Kind.AUDIENCE_REQUEST, "kadri": Kind.AUDIENCE_REQUEST},
    ),
    "audience widening declined": (
        case_audience_decision,
        ["lucia.perez@gub.uy"],
        {"lucia": Kind.AUDIENCE_DECISION},
    ),
    "review approved": (case_review_approved, ["priya.sharma@gov.in"], {"priya": Kind.MODERATION}),
    "review returned": (case_review_returned, ["priya.sharma@gov.in"], {"priya": Kind.MODERATION}),
    "withdrawn by a moderator": (
        case_withdrawn_by_moderator,
        ["lucia.perez@gub.uy"],
        {"lucia": Kind.MODERATION},
    ),
    # Membership events: networks/services/' own email, and the inbox.
    "invitation of an existing account": (
        case_invitation,
        ["mette.jensen@digst.dk"],
        {"mette": Kind.INVITATION},
    ),
    "join request approved": (
        case_join_approved,
        ["lars.nielsen@digst.dk"],
        {"lars": Kind.JOIN_DECISION},
    ),
}


@pytest.mark.parametrize("name", list(EVENTS))
def test_each_event_emails_exactly_the_officials_it_concerns(demo, write_lesson, event, name):
    case, emailed, recorded = EVENTS[name]
    action = case(demo, write_lesson)
    latest = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
    _result, addresses = event(action)
    assert addresses == emailed
    new = Notification.objects.filter(pk__gt=latest).select_related("recipient")
    assert {n.recipient.email.split(".")[0]: n.kind for n in new} == recorded
    assert new.count() == len(recorded), "one notification per official per event"


def test_a_rolled_back_action_records_and_sends_nothing(demo, write_lesson, event):
    lesson = _lesson(write_lesson, demo)
    before = Notification.objects.count()

    def fails_after_posting():
        with contextlib.suppress(RuntimeError), transaction.atomic():
            discussion.comment_create(
                acting_user=demo.member, lesson=lesson, body="Never mind @João Silva"
            )
            raise RuntimeError("the rest of the action failed")

    _result, addresses = event(fails_after_posting)
    assert addresses == []
    assert Notification.objects.count() == before


def _speaking(user, *languages):
    user.languages = list(languages)
    user.save(update_fields=["languages"])
    return user


def test_an_email_is_written_in_the_recipients_language_not_the_actors(
    demo, write_lesson, event, mailoutbox
):
    lesson = _lesson(write_lesson, demo)
    _speaking(lesson.author, "es-mx", "en")  # Mexican Spanish: the site offers Spanish
    _speaking(demo.member, "fr")
    with translation.override("fr"):  # the commenter's request
        event(
            lambda: discussion.comment_create(
                acting_user=demo.member, lesson=lesson, body="Which register did you use?"
            )
        )
    (message,) = mailoutbox
    assert message.subject == f"Lucía Pérez ha comentado su lección «{lesson.title}»"
    assert "Abrir en Minilateral:" in message.body
    html = message.alternatives[0].content
    assert '<html lang="es">' in html
    # In HTML the lesson's title declares its own language.
    title = f'<span lang="{lesson.language}">{lesson.title}</span>'
    assert f"Lucía Pérez ha comentado su lección «{title}»" in html
    for text in (message.subject, message.body, html):
        assert "a commenté" not in text
        assert "commented on" not in text


def test_a_french_officials_request_sends_a_spanish_notice_to_a_spanish_author(
    demo, write_lesson, event, mailoutbox
):
    """Through the page, as it happens: the French official's request runs in French (their
    interface language), and the author's email is written in the author's Spanish."""
    lesson = _lesson(write_lesson, demo)
    _speaking(lesson.author, "es")
    demo.member.language = "fr"
    demo.member.save(update_fields=["language"])
    client = sign_in(demo.member)
    url = reverse("discussion:comment_create", args=[lesson.pk])
    _response, addresses = event(lambda: client.post(url, {"body": "Quel registre ?"}))
    assert client.get(lesson.get_absolute_url()).headers["Content-Language"] == "fr"
    assert addresses == [lesson.author.email]
    (message,) = mailoutbox
    assert message.subject == f"Lucía Pérez ha comentado su lección «{lesson.title}»"
    assert '<html lang="es">' in message.alternatives[0].content
    for text in (message.subject, message.body, message.alternatives[0].content):
        assert "a commenté" not in text


def test_a_digest_is_in_its_recipients_language_whoever_caused_what_it_tells(
    demo, write_lesson, event, mailoutbox
):
    """A Spanish official's digest of a French official's comment is in Spanish: its subject,
    the notifications it lists, its frame and footer, in the plain text and in the HTML."""
    lesson = _lesson(write_lesson, demo)
    spanish = _speaking(lesson.author, "es")
    NotificationPreference.objects.create(
        user=spanish, network=demo.digital_nations, delivery=Delivery.DAILY
    )
    _speaking(demo.member, "fr")
    with translation.override("fr"):  # the French official comments from a French page
        _result, addresses = event(
            lambda: discussion.comment_create(
                acting_user=demo.member, lesson=lesson, body="Quel registre avez-vous utilisé ?"
            )
        )
    assert addresses == []  # waiting for the digest
    with translation.override("fr"):  # whatever the language of the process sending digests
        event(lambda: digests.deliver_digests(frequency=Delivery.DAILY))
    (message,) = mailoutbox
    assert message.to == [spanish.email]
    assert message.subject == "Su boletín diario de Digital Nations: 1 notificación"
    html = message.alternatives[0].content
    assert '<html lang="es">' in html
    title_in = {message.body: lesson.title, html: f'<span lang="en">{lesson.title}</span>'}
    for text in (message.body, html):
        assert "Novedades en Digital Nations desde su último boletín:" in text
        assert f"Lucía Pérez ha comentado su lección «{title_in[text]}»" in text
        assert "Quel registre avez-vous utilisé ?" in text  # her words stay hers
    assert "Recibe este boletín como miembro de Digital Nations." in message.body
    assert "Darse de baja de los correos electrónicos de Digital Nations" in html
    for text in (message.subject, message.body, html):
        for french in ("récapitulatif", "a commenté", "L’activité de", "Votre"):
            assert french not in text
        for english in ("Your day in", "What happened in", "commented on", "digest"):
            assert english not in text


def test_a_notification_is_worded_when_read_in_the_readers_language(demo, write_lesson, event):
    lesson = _lesson(write_lesson, demo)
    with translation.override("fr"):
        event(lambda: discussion.comment_create(acting_user=demo.member, lesson=lesson, body="?"))
    notification = Notification.objects.get(recipient=lesson.author, lesson=lesson)
    worded = {}
    for language in ("es", "fr", "en"):
        with translation.override(language):
            worded[language] = notifications.describe(notification, lesson.author).title
    assert worded == {
        "es": f"Lucía Pérez ha comentado su lección «{lesson.title}»",
        "fr": f"Lucía Pérez a commenté votre leçon «{NBSP}{lesson.title}{NBSP}»",
        "en": f"Lucía Pérez commented on your lesson “{lesson.title}”",
    }


def test_email_is_html_and_text_with_a_one_click_unsubscribe(demo, write_lesson, event, mailoutbox):
    lesson = _lesson(write_lesson, demo)
    event(
        lambda: discussion.comment_create(
            acting_user=demo.member, lesson=lesson, body="What did the **audit** find?"
        )
    )
    (message,) = mailoutbox
    assert message.subject == f"Lucía Pérez commented on your lesson “{lesson.title}”"
    assert "What did the audit find?" in message.body
    html = message.alternatives[0].content
    assert message.alternatives[0].mimetype == "text/html"
    assert "What did the audit find?" in html
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http")
    assert unsubscribe.endswith(">")
    link = unsubscribe[1:-1]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body
    assert link in html
    # As sent over SMTP: the URL on one line, never RFC 2047 encoded (mail programs read it).
    sent = message.message(policy=email.policy.SMTP).as_bytes().decode()
    assert f"List-Unsubscribe: <{link}>\r\n" in sent
    # A mail program's one-click: a POST with no session and no CSRF token.
    path = link.split("://", 1)[1].split("/", 1)[1]
    visitor = Client(enforce_csrf_checks=True)
    assert visitor.get("/" + path).status_code == 200
    preference = NotificationPreference.objects.filter(user=demo.group_member)
    assert not preference.exists()  # opening the link changes nothing
    response = visitor.post("/" + path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert preference.get().delivery == Delivery.NEVER
    assert preference.get().network == demo.digital_nations
    mailoutbox.clear()
    _result, addresses = event(
        lambda: discussion.comment_create(acting_user=demo.member, lesson=lesson, body="Again")
    )
    assert addresses == []
    assert Notification.objects.filter(recipient=demo.group_member, comment__body="Again")


@pytest.mark.parametrize("token", ["sample", "eyJ1c2VyIjoxfQ:1abc:forged"])
def test_a_forged_unsubscribe_link_is_404(client, demo, token):
    assert client.get(reverse("notifications:unsubscribe", args=[token])).status_code == 404
    assert client.post(reverse("notifications:unsubscribe", args=[token])).status_code == 404


def test_suspended_removed_and_deactivated_officials_hear_nothing_from_the_next_event(
    demo, write_lesson, event
):
    lesson = _lesson(write_lesson, demo)
    for official in (demo.member, demo.convenor, demo.moderator):
        Follow.objects.get_or_create(user=official, lesson=lesson)
    _result, addresses = event(
        lambda: discussion.comment_create(acting_user=demo.group_member, lesson=lesson, body="1")
    )
    assert addresses == ["joao.silva@gov.pt", "kadri.tamm@riik.ee", "lucia.perez@gub.uy"]
    network_services.membership_suspend(
        acting_user=demo.convenor, membership=membership(demo.member, demo.digital_nations)
    )
    network_services.membership_remove(
        acting_user=demo.convenor, membership=membership(demo.moderator, demo.digital_nations)
    )
    account_deactivate(acting_user=User.objects.get(pk=demo.convenor.pk))
    _result, addresses = event(
        lambda: discussion.comment_create(acting_user=demo.group_member, lesson=lesson, body="2")
    )
    assert addresses == []
    assert not Notification.objects.filter(comment__body="2").exists()
    # What they were told before is out of their inbox too (it is of a space they left).
    lucia = User.objects.get(pk=demo.member.pk)
    assert (
        not notification_access.visible_notifications(lucia).filter(comment__lesson=lesson).exists()
    )


def test_an_email_waiting_for_the_worker_is_not_sent_after_a_suspension(
    demo, write_lesson, django_capture_on_commit_callbacks, mailoutbox, run_worker
):
    lesson = _lesson(write_lesson, demo)
    with django_capture_on_commit_callbacks(execute=True):
        discussion.comment_create(acting_user=demo.member, lesson=lesson, body="Soon")
    network_services.membership_suspend(
        acting_user=demo.convenor, membership=membership(demo.group_member, demo.digital_nations)
    )
    run_worker()
    assert mailoutbox == []
    notification = Notification.objects.get(recipient=demo.group_member, comment__body="Soon")
    assert notification.email_status == Notification.EmailStatus.SKIPPED


def test_nothing_of_a_comment_reaches_anyone_outside_the_home_space(
    demo, write_lesson, event, mailoutbox
):
    phrase = "zebra-crossing-procurement-7f3a"
    lesson = _lesson(write_lesson, demo, audience="public")
    for official in (demo.outsider, demo.suspended):  # as if they had followed it from outside
        Follow.objects.create(user=official, lesson=lesson)
        NotificationPreference.objects.create(
            user=official, network=demo.digital_nations, delivery=Delivery.DAILY
        )

    def talk():
        top = discussion.comment_create(
            acting_user=demo.member,
            lesson=lesson,
            body=f"{phrase}: what would @Priya Sharma and @Aroha Ngata say?",
        ).comment
        discussion.comment_create(
            acting_user=demo.moderator, lesson=lesson, body=f"Re {phrase}", parent=top
        )

    event(talk)
    digests.deliver_digests(frequency=Delivery.DAILY)
    event(lambda: None)  # the worker sends whatever the digests enqueued
    everything = list(mailoutbox)
    # The test can fail: the author inside the space was told, with the words.
    assert any(phrase in message.body for message in everything)

    received = []
    for official in (demo.outsider, demo.suspended):
        client = sign_in(official)
        for url in (
            lesson.get_absolute_url(),
            lesson.get_public_url(),
            reverse("lessons:public_feed"),
            reverse("notifications:inbox"),
            reverse("lessons:public_list"),
            reverse("discussion:mention_suggestions", args=[lesson.pk]) + "?q=",
        ):
            received.append(client.get(url).content.decode())
        for message in everything:
            if official.email in message.to:
                received.extend([message.subject, message.body, message.alternatives[0].content])
        for notification in Notification.objects.filter(recipient=official):
            received.append(str(vars(notification)))
        assert not Notification.objects.filter(recipient=official, lesson=lesson).exists()
    anonymous = Client()
    for url in (lesson.get_public_url(), reverse("lessons:public_feed")):
        received.append(anonymous.get(url).content.decode())
    for text in received:
        assert phrase not in text
    assert all(
        message.to[0] not in (demo.outsider.email, demo.suspended.email) for message in everything
    )


def test_moderation_decision_on_a_comment_tells_its_author_for_issue_f(
    demo, write_lesson, event, mailoutbox
):
    lesson = _lesson(write_lesson, demo)
    comment = discussion.comment_create(
        acting_user=demo.member, lesson=lesson, body="A supplier’s name"
    ).comment

    def hide():
        type(comment).objects.filter(pk=comment.pk).update(is_hidden=True, hidden_by=demo.moderator)
        comment.refresh_from_db()
        return notifications.notify_moderation_decision(
            moderator=demo.moderator,
            decision="comment.hide",
            comment=comment,
            reason="It names a supplier under contract.",
        )

    _result, addresses = event(hide)
    assert addresses == ["lucia.perez@gub.uy"]
    (message,) = mailoutbox
    assert message.subject == f"A moderator hid your comment on “{lesson.title}”"
    assert "It names a supplier under contract." in message.body
    inbox = sign_in(demo.member).get(reverse("notifications:inbox")).content.decode()
    assert "A moderator hid your comment" in inbox


def test_inbox_lists_counts_opens_and_marks_read(demo, write_lesson):
    lesson = _lesson(write_lesson, demo, author=demo.member)
    comment = discussion.comment_create(
        acting_user=demo.group_member, lesson=lesson, body="Inbox test"
    ).comment
    client = sign_in(demo.member)
    unread = notification_access.unread_notification_count(User.objects.get(pk=demo.member.pk))
    assert unread >= 1
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert f'Min-jun Kim commented on your lesson “<span lang="en">{lesson.title}</span>”' in page
    assert f'{unread}<span class="visually-hidden"> unread</span>' in page  # the header
    notification = Notification.objects.get(recipient=demo.member, comment=comment)
    # Opening it (an email's link, a mail scanner, a link preview) leads there and changes nothing.
    response = client.get(notification.get_absolute_url())
    assert response["Location"] == comment.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is None
    # The inbox's "Mark as read" (a POST) marks it, and comes back to the inbox.
    form = re.search(
        rf'<form method="post" action="{notification.get_absolute_url()}"[^>]*>(.*?)</form>',
        page,
        re.S,
    )
    assert "Mark as read" in form.group(1)
    inbox_url = reverse("notifications:inbox")
    response = client.post(notification.get_absolute_url(), {"next": inbox_url})
    assert response["Location"] == inbox_url
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert (
        f'action="{notification.get_absolute_url()}"' not in client.get(inbox_url).content.decode()
    )
    # A POST from elsewhere goes on to what it is about; a foreign `next` is not followed.
    response = client.post(notification.get_absolute_url(), {"next": "https://evil.example/"})
    assert response["Location"] == comment.get_absolute_url()
    client.post(reverse("notifications:read"))
    assert notification_access.unread_notification_count(User.objects.get(pk=demo.member.pk)) == 0
    # Another's notification does not exist for you.
    assert sign_in(demo.moderator).get(notification.get_absolute_url()).status_code == 404


def test_suspended_member_keeps_their_membership_notifications_only(demo, write_lesson):
    lesson = _lesson(write_lesson, demo, author=demo.member)
    discussion.comment_create(acting_user=demo.group_member, lesson=lesson, body="Before")
    join = Notification.objects.create(
        recipient=demo.member, kind=Kind.JOIN_DECISION, network=demo.dpi, data={"approved": False}
    )
    Membership.objects.filter(user=demo.member, network=demo.digital_nations).update(
        state=Membership.State.SUSPENDED
    )
    visible = list(notification_access.visible_notifications(User.objects.get(pk=demo.member.pk)))
    assert visible == [join]


def test_preferences_per_network_from_the_settings_page(demo, write_lesson, event):
    client = sign_in(demo.group_member)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert "Email from Digital Nations" in page
    field = f"network_{demo.digital_nations.pk}"
    assert client.post(reverse("notifications:settings"), {field: "never"}).status_code == 302
    lesson = _lesson(write_lesson, demo)
    _result, addresses = event(
        lambda: discussion.comment_create(acting_user=demo.member, lesson=lesson, body="Hi")
    )
    assert addresses == []
    notification = Notification.objects.get(recipient=demo.group_member, comment__body="Hi")
    assert notification.email_status == Notification.EmailStatus.SKIPPED  # still in the inbox


# Digests


@pytest.fixture
def daily_for_minjun(demo):
    notifications.notification_preference_set(
        acting_user=demo.group_member, network=demo.digital_nations, delivery=Delivery.DAILY
    )


@pytest.mark.usefixtures("daily_for_minjun")
def test_digest_waits_for_its_run_then_sends_once_even_if_run_twice(
    demo, write_lesson, event, mailoutbox
):
    lesson = _lesson(write_lesson, demo)
    _result, addresses = event(
        lambda: [
            discussion.comment_create(acting_user=demo.member, lesson=lesson, body="First"),
            discussion.comment_create(acting_user=demo.moderator, lesson=lesson, body="Second"),
        ]
    )
    assert addresses == ["lucia.perez@gub.uy"]  # she follows it, at once; Min-jun waits
    mailoutbox.clear()
    _sent, addresses = event(lambda: digests.deliver_digests(frequency=Delivery.DAILY))
    assert addresses == ["minjun.kim@korea.kr"]
    (digest,) = mailoutbox
    assert digest.subject == "Your day in Digital Nations: 2 notifications"
    assert "First" in digest.body
    assert "Second" in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    for _run in range(2):
        sent, addresses = event(lambda: digests.deliver_digests(frequency=Delivery.DAILY))
        assert (sent, addresses) == (0, [])  # nothing new: no email, not the same items again
    assert digests.deliver_digests(frequency=Delivery.WEEKLY) == 0


@pytest.mark.usefixtures("daily_for_minjun")
def test_digest_holds_only_what_the_recipient_may_see_when_it_is_sent(
    demo, write_lesson, event, mailoutbox
):
    lesson = _lesson(write_lesson, demo)
    event(lambda: discussion.comment_create(acting_user=demo.member, lesson=lesson, body="Old"))
    network_services.membership_suspend(
        acting_user=demo.convenor, membership=membership(demo.group_member, demo.digital_nations)
    )
    sent, addresses = event(lambda: digests.deliver_digests(frequency=Delivery.DAILY))
    assert (sent, addresses) == (0, [])
    network_services.membership_reinstate(
        acting_user=demo.convenor, membership=membership(demo.group_member, demo.digital_nations)
    )
    sent, addresses = event(lambda: digests.deliver_digests(frequency=Delivery.DAILY))
    assert (sent, addresses) == (0, [])  # skipped at sending time, for good


@pytest.mark.usefixtures("daily_for_minjun")
def test_digest_shows_a_deleted_comment_as_deleted(demo, write_lesson, event, mailoutbox):
    lesson = _lesson(write_lesson, demo)
    comment = discussion.comment_create(
        acting_user=demo.member, lesson=lesson, body="Regretted words"
    ).comment
    discussion.comment_delete(acting_user=demo.member, comment=comment)
    event(lambda: digests.deliver_digests(frequency=Delivery.DAILY))
    (digest,) = mailoutbox
    assert "Regretted words" not in digest.body + digest.alternatives[0].content
    assert "The comment was deleted." in digest.body


def test_weekly_digest_and_switching_frequency_moves_what_waits(demo, write_lesson, event):
    lesson = _lesson(write_lesson, demo)
    notifications.notification_preference_set(
        acting_user=demo.group_member, network=demo.digital_nations, delivery=Delivery.DAILY
    )
    event(lambda: discussion.comment_create(acting_user=demo.member, lesson=lesson, body="One"))
    notifications.notification_preference_set(
        acting_user=demo.group_member, network=demo.digital_nations, delivery=Delivery.WEEKLY
    )
    assert digests.deliver_digests(frequency=Delivery.DAILY) == 0
    _sent, addresses = event(lambda: digests.deliver_digests(frequency=Delivery.WEEKLY))
    assert addresses == ["minjun.kim@korea.kr"]


def test_the_scheduled_digest_task_runs_once_and_schedules_the_next(
    demo, write_lesson, event, mailoutbox, daily_for_minjun
):
    from datetime import timedelta

    from django.tasks import TaskResultStatus
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    path = digests.send_digests.module_path
    scheduled = DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY)
    scheduled.delete()
    first = digests.schedule_digests()
    assert digests.schedule_digests() == first  # idempotent
    assert scheduled.count() == 2
    assert first[Delivery.DAILY] > timezone.now()
    lesson = _lesson(write_lesson, demo)
    event(lambda: discussion.comment_create(acting_user=demo.member, lesson=lesson, body="Due"))
    # The run is due, and by accident a second run is enqueued too.
    scheduled.update(run_after=timezone.now() - timedelta(seconds=1))
    digests.send_digests.enqueue(frequency=Delivery.DAILY)
    _result, addresses = event(lambda: None)
    assert addresses == ["minjun.kim@korea.kr"]
    waiting = scheduled.filter(args_kwargs__kwargs__frequency=Delivery.DAILY)
    assert waiting.count() == 1
    assert waiting.get().run_after > timezone.now()


@pytest.mark.parametrize(
    ("now", "daily", "weekly"),
    [
        # Tuesday 2026-12-01, 06:00 UTC: today at 07:00; the next Monday.
        ("2026-12-01T06:00:00+00:00", "2026-12-01T07:00:00+00:00", "2026-12-07T07:00:00+00:00"),
        # Monday 2026-12-07, 07:00 exactly: the next ones.
        ("2026-12-07T07:00:00+00:00", "2026-12-08T07:00:00+00:00", "2026-12-14T07:00:00+00:00"),
        # Monday, before 07:00: today for both.
        ("2026-12-07T03:00:00+00:00", "2026-12-07T07:00:00+00:00", "2026-12-07T07:00:00+00:00"),
    ],
)
def test_digest_times(now, daily, weekly):
    from datetime import datetime

    at = datetime.fromisoformat(now)
    assert digests.next_digest_time(Delivery.DAILY, at).isoformat() == daily
    assert digests.next_digest_time(Delivery.WEEKLY, at).isoformat() == weekly


# The object check agrees with the queryset (like Discourse's consistency checks).

PERSONAS = ["member", "group_member", "moderator", "convenor", "suspended", "outsider", "admin"]


def test_may_be_notified_agrees_with_visible_notifications(demo, write_lesson):
    group = demo.digital_nations.working_groups.get(slug="digital-identity")
    network_lesson = _lesson(write_lesson, demo, title="Network lesson")
    group_lesson = write_lesson(author=demo.group_member, group=group, title="Group lesson")
    shared_group_lesson = write_lesson(
        author=demo.group_member, group=group, audience="all_networks", title="Shared group"
    )
    withdrawn = _lesson(write_lesson, demo, title="Withdrawn")
    services.lesson_withdraw(acting_user=demo.group_member, lesson=withdrawn)
    comments = [
        discussion.comment_create(acting_user=demo.group_member, lesson=lesson, body="c").comment
        for lesson in (network_lesson, group_lesson, shared_group_lesson)
    ]
    subjects = [
        (Kind.NEW_LESSON, {"lesson": lesson})
        for lesson in (network_lesson, group_lesson, shared_group_lesson, withdrawn)
    ]
    subjects += [(Kind.COMMENT, {"comment": comment}) for comment in comments]
    subjects += [(Kind.INVITATION, {}), (Kind.JOIN_DECISION, {})]
    for name in PERSONAS:
        user = User.objects.get(pk=getattr(demo, name).pk)
        for kind, about in subjects:
            lesson = about.get("lesson") or getattr(about.get("comment"), "lesson", None)
            notification = Notification.objects.create(
                recipient=user,
                kind=kind,
                network=demo.digital_nations,
                lesson=lesson,
                comment=about.get("comment"),
            )
            fresh = User.objects.get(pk=user.pk)
            predicate = notification_access.may_be_notified(
                fresh, kind=kind, network=demo.digital_nations, **about
            )
            listed = (
                notification_access.visible_notifications(fresh).filter(pk=notification.pk).exists()
            )
            assert predicate == listed, (name, kind, lesson and lesson.title)


def test_unsubscribe_token_names_one_official_and_network(demo):
    token = notifications.unsubscribe_token(demo.member, demo.dpi)
    assert notifications.unsubscribe_target(token) == (demo.member, demo.dpi)
    assert notifications.unsubscribe_target(token[:-2] + "xx") == (None, None)
    assert notifications.unsubscribe_target(str(uuid.uuid4())) == (None, None)


def test_schedule_digests_command_starts_the_chain_once(demo):
    from io import StringIO

    from django.core.management import call_command
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    scheduled = DBTaskResult.objects.filter(
        task_path=digests.send_digests.module_path, status=TaskResultStatus.READY
    )
    scheduled.delete()
    out = StringIO()
    call_command("schedule_digests", stdout=out)
    call_command("schedule_digests", "--send-now", stdout=out)
    assert sorted(r.args_kwargs["kwargs"]["frequency"] for r in scheduled) == ["daily", "weekly"]
    assert "Next daily digests:" in out.getvalue()


def test_the_header_count_follows_the_policy_at_each_change(demo, write_lesson):
    """Counted through the policy, remembered for the very notifications unread, the reader's
    view and its spaces' generations (notification_access.unread_notification_count)."""

    def count():
        return notification_access.unread_notification_count(User.objects.get(pk=demo.member.pk))

    before = count()  # the demo's
    lesson = write_lesson(author=demo.convenor)
    discussion.follow_set(acting_user=demo.member, lesson=lesson, following=True)
    for number in range(3):
        discussion.comment_create(acting_user=demo.group_member, lesson=lesson, body=f"N{number}")
    about_it = Notification.objects.filter(recipient=demo.member, read_at__isnull=True).filter(
        Q(lesson=lesson) | Q(comment__lesson=lesson)
    )
    new = about_it.count()  # the three comments, and the lesson's publication
    assert new >= 3
    assert count() == count() == before + new
    Lesson.objects.filter(pk=lesson.pk).update(is_hidden=True)  # she may no longer open it
    assert count() == before
    Lesson.objects.filter(pk=lesson.pk).update(is_hidden=False)
    assert count() == before + new
    notifications.notifications_mark_read(acting_user=demo.member, notification=about_it.first())
    assert count() == before + new - 1
    membership = Membership.objects.get(user=demo.member, network=demo.digital_nations)
    network_services.membership_suspend(acting_user=demo.convenor, membership=membership)
    unread = Notification.objects.filter(recipient=demo.member, read_at__isnull=True)
    assert count() == unread.filter(kind__in=Notification.Kind.about_own_membership()).count()


def test_the_header_counts_many_unread_notifications_exactly(demo):
    before = notification_access.unread_notification_count(demo.member)
    many = notification_access.UNREAD_REMEMBERED_UP_TO + 5
    Notification.objects.bulk_create(
        Notification(recipient=demo.member, kind=Notification.Kind.NEW_LESSON, network=network)
        for network in [demo.digital_nations] * many + [demo.dpi] * 2  # not her network
    )
    assert (
        notification_access.unread_notification_count(User.objects.get(pk=demo.member.pk))
        == before + many
    )
