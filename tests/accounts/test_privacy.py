"""Privacy of people: an official downloads their own data; a platform admin erases one."""

import json

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from lessons import access as lesson_access
from lessons.models import Lesson
from moderation.models import Flag, ModeratorNote
from networks import account_services, services
from networks.models import AuditEvent, FocalPoint, Invitation, JoinRequest, Membership, User
from tests.accounts.test_sign_in import reauthenticate, sign_in
from tests.browser.helpers import totp_code


def _download(client, demo, user):
    client.force_login(user)
    reauthenticate(client, demo.password)
    response = client.post(reverse("officials:data_download"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content.decode(), json.loads(response.content)


def test_download_asks_for_the_password_first(client, demo):
    client.force_login(demo.member)
    response = client.get(reverse("officials:data_download"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_download_holds_the_officials_own_data(client, demo):
    _text, data = _download(client, demo, demo.moderator)
    assert data["profile"]["email"] == demo.moderator.email
    assert data["profile"]["full_name"] == demo.moderator.full_name
    assert {m["network"]["slug"] for m in data["memberships"]} >= {"digital-nations"}
    own_lessons = Lesson.objects.filter(author=demo.moderator)
    assert own_lessons.exists()
    assert {lesson["id"] for lesson in data["lessons"]} == set(
        own_lessons.values_list("pk", flat=True)
    )
    first = own_lessons.order_by("created_at", "pk").first()
    exported = next(lesson for lesson in data["lessons"] if lesson["id"] == first.pk)
    assert exported["worked"] == first.worked
    assert exported["audience"] == first.audience
    assert [e["email"] for e in data["email_addresses"]] == [demo.moderator.email]
    assert AuditEvent.objects.filter(action="account.export", actor=demo.moderator).exists()


def test_download_holds_no_one_elses_email_nor_moderator_notes_nor_flag_reporters(client, demo):
    author = demo.member
    lesson = Lesson.objects.filter(author=author).first()
    ModeratorNote.objects.create(lesson=lesson, author=demo.moderator, body="SECRET-NOTE-about-her")
    Flag.objects.filter(lesson=lesson).delete()
    # A reporter named nowhere in her own texts (they may mention other members).
    reporter = User.objects.create_user("nils.reporter@gov.se", full_name="Nils Reportersson")
    Flag.objects.create(lesson=lesson, reporter=reporter, reason="other", note="FLAG-NOTE")
    text, _data = _download(client, demo, author)
    assert author.email in text
    others = User.objects.exclude(pk=author.pk).values_list("email", flat=True)
    leaked = [email for email in others if email in text]
    assert not leaked, f"others' addresses in the export: {leaked}"
    assert "SECRET-NOTE-about-her" not in text
    assert "FLAG-NOTE" not in text
    assert reporter.full_name not in text


def test_convenors_export_names_no_invited_address(client, demo):
    text, _data = _download(client, demo, demo.convenor)
    others = User.objects.exclude(pk=demo.convenor.pk).values_list("email", flat=True)
    assert not [email for email in others if email in text]
    assert not [
        i.email for i in Invitation.objects.filter(invited_by=demo.convenor) if i.email in text
    ]


def test_download_is_always_the_signed_in_officials_own(client, demo):
    text, data = _download(client, demo, demo.outsider)
    assert data["profile"]["email"] == demo.outsider.email
    assert demo.member.email not in text
    # No address takes someone else's id: the page has none.
    assert reverse("officials:data_download") == "/accounts/my-data/"


def _erase_in_admin(demo, official):
    admin = Client()
    sign_in(admin, demo.admin.email, demo.password)
    admin.post(reverse("mfa_authenticate"), {"code": totp_code(demo.totp_secret)})
    url = reverse("admin:networks_user_changelist")
    data = {"action": "erase_officials", ACTION_CHECKBOX_NAME: [official.pk]}
    confirmation = admin.post(url, data)
    assert confirmation.status_code == 200
    assert "Yes, erase them" in confirmation.content.decode()
    assert User.objects.get(pk=official.pk).email == official.email  # nothing yet
    done = admin.post(url, {**data, "post": "yes"})
    assert done.status_code == 302
    return User.objects.get(pk=official.pk)


def test_admin_erases_an_official_and_their_lessons_show_a_former_member(demo):
    official = demo.moderator
    old_email, old_name = official.email, official.full_name
    member_client = Client()
    sign_in(member_client, old_email, demo.password)
    assert Authenticator.objects.filter(user=official).exists()
    assert FocalPoint.objects.filter(user=official).exists()
    JoinRequest.objects.create(user=official, network=demo.dpi, message="I am João from Lisbon")

    erased = _erase_in_admin(demo, official)

    assert erased.email != old_email
    assert erased.email.endswith("@erased.invalid")
    assert not erased.has_usable_password()
    assert (erased.full_name, erased.job_title, erased.organisation, erased.bio) == ("", "", "", "")
    assert erased.languages == []
    assert erased.is_active is False
    assert erased.deactivated_at is not None
    assert not EmailAddress.objects.filter(user=official).exists()
    assert not EmailAddress.objects.filter(email__iexact=old_email).exists()
    assert not Authenticator.objects.filter(user=official).exists()
    assert not UserSession.objects.filter(user=official).exists()
    assert not FocalPoint.objects.filter(user=official).exists()
    assert not Invitation.objects.filter(email__iexact=old_email).exists()
    assert not JoinRequest.objects.filter(user=official).exclude(message="").exists()
    assert not User.objects.filter(full_name=old_name).exists()
    assert (
        not Membership.objects.filter(user=official).exclude(state=Membership.State.LEFT).exists()
    )
    # Their signed-in session is over.
    assert member_client.get(reverse("officials:account")).status_code == 302

    lesson = (
        Lesson.objects.filter(author=official)
        .select_related("author", "author_country", "network")
        .first()
    )
    assert lesson is not None
    assert str(lesson_access.shown_author(demo.member, lesson).label) == "a former member"
    assert str(erased.display_name) == "a former member"

    event = AuditEvent.objects.get(action="account.erase", target_id=str(official.pk))
    assert event.actor == demo.admin
    written = json.dumps([event.target_label, event.changes])
    assert old_email not in written
    assert old_name not in written

    assert sign_in(Client(), old_email, demo.password).status_code == 200  # refused
    assert not Client().login(email=erased.email, password=demo.password)


def test_erasure_redacts_the_person_from_earlier_audit_events(demo):
    official = demo.moderator
    old_email, old_name = official.email, official.full_name
    membership = Membership.objects.get(user=official, network=demo.digital_nations)
    services.audit_record(
        actor=demo.convenor,
        action="membership.change_role",
        network=membership.network,
        target=membership,
    )
    services.audit_record(
        actor=demo.convenor,
        action="invitation.create",
        network=demo.dpi,
        changes={"email": old_email.upper(), "note": [f"for {old_name}"]},
    )
    # Their own action, from their address.
    caused = AuditEvent.objects.create(
        actor=official, action="lesson.publish", ip_address="192.0.2.7", target_label="X"
    )
    naming = AuditEvent.objects.filter(target_label__icontains=old_name).count()
    assert naming >= 1
    before = {
        event.pk: (event.actor_id, event.action, event.created_at)
        for event in AuditEvent.objects.all()
    }

    _erase_in_admin(demo, official)

    after = AuditEvent.objects.exclude(action="account.erase")
    assert {e.pk: (e.actor_id, e.action, e.created_at) for e in after} == before
    written = json.dumps([[e.target_label, e.changes] for e in AuditEvent.objects.all()])
    assert old_email.lower() not in written.lower()
    assert old_name not in written
    assert "a former member" in written
    assert AuditEvent.objects.get(pk=caused.pk).ip_address is None
    erase = AuditEvent.objects.get(action="account.erase", target_id=str(official.pk))
    assert erase.changes["audit_events_redacted"] >= naming + 2


def test_erase_is_refused_to_anyone_but_a_platform_admin(demo):
    import pytest
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        account_services.official_erase(acting_user=demo.convenor, official=demo.member)
    assert User.objects.get(pk=demo.member.pk).email == demo.member.email


def test_retention_page_is_public_and_linked_from_every_page(client, demo):
    response = client.get(reverse("retention"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "12 hours" in page
    assert "14 days" in page
    assert "30 days" in page
    assert reverse("retention") in client.get(reverse("home")).content.decode()


def test_erasure_redacts_whole_names_only(demo):
    official = demo.member
    official.full_name = "Ana"
    official.save(update_fields=["full_name"])
    banana = AuditEvent.objects.create(actor=demo.convenor, action="x", target_label="Banana law")
    named = AuditEvent.objects.create(actor=demo.convenor, action="x", target_label="Ana, invited")

    account_services.official_erase(acting_user=demo.admin, official=official)

    assert AuditEvent.objects.get(pk=banana.pk).target_label == "Banana law"
    assert AuditEvent.objects.get(pk=named.pk).target_label == "a former member, invited"


def test_records_kept_for_a_time_are_deleted_by_the_daily_run(demo):
    from datetime import timedelta
    from uuid import uuid4

    from django.utils import timezone

    from networks.models import AccessDenial, FormSubmission
    from notifications import digests
    from notifications.models import Delivery

    now = timezone.now()

    def refusal(days_ago):
        return AccessDenial.objects.create(
            user=demo.member,
            status=404,
            method="GET",
            path="/lessons/1/",
            ip_address="192.0.2.1",
            created_at=now - timedelta(days=days_ago),
        )

    def submission(hours_ago):
        return FormSubmission.objects.create(
            token=uuid4(), user=demo.member, path="/x/", created_at=now - timedelta(hours=hours_ago)
        )

    old, recent = refusal(services.REFUSALS_KEPT_DAYS + 1), refusal(services.REFUSALS_KEPT_DAYS - 1)
    stale, fresh = submission(25), submission(23)
    digests.send_digests.call(frequency=Delivery.WEEKLY)  # only the daily run purges
    assert AccessDenial.objects.filter(pk=old.pk).exists()
    digests.send_digests.call(frequency=Delivery.DAILY)
    assert list(AccessDenial.objects.filter(pk__in=[old.pk, recent.pk])) == [recent]
    remaining = FormSubmission.objects.filter(token__in=[stale.token, fresh.token])
    assert list(remaining.values_list("token", flat=True)) == [fresh.token]
    page = Client().get(reverse("retention")).content.decode()
    assert f"{services.REFUSALS_KEPT_DAYS} days, then deleted" in page
    assert "One day" in page


def test_download_holds_the_officials_questions_answers_and_comments(client, demo):
    from discussion import services as discussion
    from questions import services as questions
    from questions.moderation import answer_flag_raise

    question = questions.question_ask(
        acting_user=demo.member,
        network=demo.digital_nations,
        title="EXPORT-QUESTION: who signs cloud exits?",
        body="EXPORT-QUESTION-TEXT",
        attribution="chatham",
    )
    answer = questions.answer_post(
        acting_user=demo.member, question=question, body="EXPORT-OWN-ANSWER"
    ).answer
    theirs = questions.answer_post(
        acting_user=demo.convenor, question=question, body="EXPORT-THEIR-ANSWER"
    ).answer
    answer_flag_raise(acting_user=demo.member, answer=theirs, reason="other", note="EXPORT-FLAG")
    answer_flag_raise(acting_user=demo.group_member, answer=answer, reason="other", note="NOT-MINE")
    lesson = lesson_access.readable_lessons(demo.member).filter(network=demo.digital_nations)[0]
    discussion.comment_create(acting_user=demo.member, lesson=lesson, body="EXPORT-COMMENT")
    text, data = _download(client, demo, demo.member)
    assert "EXPORT-QUESTION-TEXT" in [q["text"] for q in data["questions"]]
    assert "EXPORT-OWN-ANSWER" in [a["text"] for a in data["answers"]]
    assert "EXPORT-FLAG" in [f["note"] for f in data["flags_raised_on_answers"]]
    assert "EXPORT-COMMENT" in [c["text"] for c in data["comments"]]
    assert "EXPORT-THEIR-ANSWER" not in text
    assert "NOT-MINE" not in text  # never who flagged their own answers
