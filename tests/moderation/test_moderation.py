"""The moderator's workbench: each action changes what it should, is audited, and tells."""

import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lessons import services
from lessons.models import Lesson
from moderation import curation
from moderation import services as moderation
from moderation.models import Brief, Collection, Flag, ModeratorNote
from networks.models import Attribution, AuditEvent, Membership, User
from tests.networks.conftest import sign_in


def events(action):
    return AuditEvent.objects.filter(action=action).count()


@pytest.fixture
def queue_url():
    return reverse("moderation:queue", args=["digital-nations"])


def act(client, lesson, action, **data):
    url = reverse("moderation:act", args=[lesson.network.slug, lesson.pk, action])
    return client.post(url, data)


def test_queue_lists_review_flags_and_widening_requests(demo, queue_url):
    body = sign_in(demo.moderator).get(queue_url).content.decode()
    assert "Digital service standard: assessments that teams dreaded" in body  # in review
    assert "AI chatbot for tax questions" in body  # flagged, and asks to widen
    assert "The 90% figure is from the pilot month only." in body  # the flag's note
    assert "Lucía Pérez" in body  # who raised it
    assert "asks for" in body


def test_moderator_of_another_network_gets_404_for_queue_and_items(demo, queue_url):
    lesson = Lesson.objects.get(title__startswith="AI chatbot")
    client = sign_in(demo.dpi_convenor)  # moderates the DPI Peer Network only
    assert client.get(queue_url).status_code == 404
    item = reverse("moderation:item", args=["digital-nations", lesson.pk])
    assert client.get(item).status_code == 404
    assert act(client, lesson, "hide", reason="x").status_code == 404
    assert sign_in(demo.member).get(queue_url).status_code == 403  # inside, without the role


def test_approve_publishes_audits_and_tells_the_author(
    demo, mailoutbox, run_worker, django_capture_on_commit_callbacks
):
    lesson = Lesson.objects.get(title__startswith="Digital service standard")
    before = events("lesson.approve")
    with django_capture_on_commit_callbacks(execute=True):
        act(sign_in(demo.moderator), lesson, "approve")
    run_worker()
    lesson.refresh_from_db()
    assert lesson.state == Lesson.State.PUBLISHED
    assert events("lesson.approve") == before + 1
    to_author = [m for m in mailoutbox if m.to == ["lucia.perez@gub.uy"]]
    assert len(to_author) == 1
    assert "published your lesson" in to_author[0].subject


def test_return_needs_a_message_and_sends_it(
    demo, mailoutbox, run_worker, django_capture_on_commit_callbacks
):
    lesson = Lesson.objects.get(title__startswith="Digital service standard")
    client = sign_in(demo.moderator)
    response = act(client, lesson, "return", **{"return-reason": ""})
    assert response.status_code == 400
    lesson.refresh_from_db()
    assert lesson.state == Lesson.State.IN_REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        act(client, lesson, "return", **{"return-reason": "Add the assessment numbers."})
    run_worker()
    lesson.refresh_from_db()
    assert lesson.state == Lesson.State.DRAFT
    to_author = [m for m in mailoutbox if m.to == ["lucia.perez@gub.uy"]]
    assert len(to_author) == 1
    assert "Add the assessment numbers." in to_author[0].body


def test_hide_and_restore(demo, mailoutbox, run_worker, django_capture_on_commit_callbacks):
    lesson = Lesson.objects.get(title__startswith="AI chatbot")
    client = sign_in(demo.moderator)
    reader = sign_in(demo.member)
    assert reader.get(lesson.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert act(client, lesson, "hide", reason="").status_code == 400  # a reason is needed
        act(client, lesson, "hide", reason="Figures under dispute.")
    lesson.refresh_from_db()
    assert lesson.is_hidden
    assert reader.get(lesson.get_absolute_url()).status_code == 404
    assert sign_in(lesson.author).get(lesson.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        act(client, lesson, "restore")
    run_worker()
    lesson.refresh_from_db()
    assert not lesson.is_hidden
    assert not lesson.flags.filter(resolved_at__isnull=True).exists()
    assert reader.get(lesson.get_absolute_url()).status_code == 200
    assert events("lesson.hide") == 1
    assert events("lesson.restore_from_moderation") == 1
    assert [m.to for m in mailoutbox] == [[lesson.author.email]] * 2


def test_feature_puts_the_lesson_first_and_is_audited(demo):
    lesson = Lesson.objects.get(title__startswith="Once-only principle")
    act(sign_in(demo.moderator), lesson, "feature")
    lesson.refresh_from_db()
    assert lesson.is_featured
    assert events("lesson.feature") >= 1


def test_taxonomy_correction_and_tag_merge(demo):
    lesson = Lesson.objects.get(title__startswith="Once-only principle")
    client = sign_in(demo.moderator)
    act(client, lesson, "taxonomy", tags="registries, Data Exchange", reason="Consistent tags")
    assert sorted(lesson.tags.values_list("name", flat=True)) == ["data exchange", "registries"]
    response = client.post(
        reverse("moderation:merge_tags", args=["digital-nations"]),
        {"source": "registries", "target": "data exchange"},
    )
    assert response.status_code == 302
    assert list(lesson.tags.values_list("name", flat=True)) == ["data exchange"]
    assert events("tags.merge") == 1


def test_moderator_notes_are_for_moderators_only(demo):
    lesson = Lesson.objects.get(title__startswith="AI chatbot")
    act(sign_in(demo.moderator), lesson, "note", body="Checked with the Korean team.")
    assert ModeratorNote.objects.filter(lesson=lesson).count() == 1
    author_view = sign_in(lesson.author).get(lesson.get_absolute_url()).content.decode()
    assert "Checked with the Korean team." not in author_view
    item = reverse("moderation:item", args=["digital-nations", lesson.pk])
    assert "Checked with the Korean team." in sign_in(demo.convenor).get(item).content.decode()


def test_flags_past_the_threshold_hide_once_counting_distinct_members(demo, write_lesson):
    lesson = write_lesson(author=demo.member)
    readers = [demo.group_member, demo.moderator]
    third = User.objects.create_user("mette.jensen@digst.dk", "x" * 12, country_id=_country("DK"))
    Membership.objects.create(user=third, network=demo.digital_nations)
    for _ in range(3):  # one person's repeated flags count once
        moderation.flag_raise(acting_user=readers[0], lesson=lesson, reason=Flag.Reason.OTHER)
    lesson.refresh_from_db()
    assert not lesson.is_hidden
    moderation.flag_raise(acting_user=readers[1], lesson=lesson, reason=Flag.Reason.SENSITIVE)
    lesson.refresh_from_db()
    assert not lesson.is_hidden
    moderation.flag_raise(acting_user=third, lesson=lesson, reason=Flag.Reason.RULES)
    lesson.refresh_from_db()
    assert lesson.is_hidden
    assert events("lesson.hide_by_flags") == 1
    assert lesson.flags.filter(resolved_at__isnull=True).count() == 3
    assert lesson.hidden_reason == ""  # no words stored: `hidden_note` writes them when shown
    page = sign_in(demo.member).get(lesson.get_absolute_url()).content.decode()
    assert "Flagged by several members; waiting for a moderator." in page


def test_reader_reports_through_the_flag_page(demo, write_lesson):
    lesson = write_lesson(author=demo.member)
    client = sign_in(demo.group_member)
    assert client.get(reverse("moderation:flag", args=[lesson.pk])).status_code == 200
    client.post(
        reverse("moderation:flag", args=[lesson.pk]), {"reason": "inaccurate", "note": "Old."}
    )
    assert lesson.flags.get().reporter == demo.group_member
    assert (
        sign_in(demo.outsider).get(reverse("moderation:flag", args=[lesson.pk])).status_code == 404
    )


def _country(code):
    from networks.models import Country

    return Country.objects.get(code=code).pk


# Collections


def test_collection_never_reveals_a_lesson_beyond_the_readers_reach(demo):
    collection = Collection.objects.get(title="Digital identity playbook")
    group_lesson = "Biometric matching at the border"
    member_view = sign_in(demo.member).get(collection.get_absolute_url()).content.decode()
    assert group_lesson not in member_view  # for the working group only
    assert "Digital identity wallet" in member_view
    group_view = sign_in(demo.group_member).get(collection.get_absolute_url()).content.decode()
    assert group_lesson in group_view
    public_view = type(sign_in(None))().get(collection.get_public_url()).content.decode()
    assert "Digital identity wallet" in public_view  # public
    assert "Once-only principle" not in public_view  # network only
    assert group_lesson not in public_view


def test_collection_of_network_audience_is_404_to_outsiders(demo):
    collection = curation.collection_create(
        acting_user=demo.moderator, network=demo.digital_nations, title="Inside", audience="network"
    )
    assert sign_in(demo.outsider).get(collection.get_absolute_url()).status_code == 404
    assert type(sign_in(None))().get(collection.get_public_url()).status_code == 404


def test_collection_ordering_works_without_javascript(demo):
    collection = Collection.objects.get(title="Digital identity playbook")
    client = sign_in(demo.moderator)
    edit = reverse("moderation:collection_edit", args=["digital-nations", collection.slug])
    first, second = [item.lesson for item in collection.items.order_by("position")][:2]
    client.post(edit, {"lesson": second.pk, "operation": "up"})
    assert [item.lesson for item in collection.items.order_by("position")][:2] == [second, first]
    assert events("collection.reorder") == 1


# Briefs


def text_of_pdf(brief):
    reader = PdfReader(io.BytesIO(brief.pdf.open("rb").read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def brief_texts(brief):
    return {
        "pdf": text_of_pdf(brief),
        "md": brief.markdown.open("rb").read().decode(),
        "csv": brief.csv.open("rb").read().decode(),
        "json": brief.json.open("rb").read().decode(),
    }


def test_public_brief_has_only_public_lessons_and_no_chatham_author(demo, write_lesson):
    chatham = write_lesson(
        author=demo.group_member,
        audience="public",
        attribution=Attribution.CHATHAM,
        title="Public Chatham lesson on consent",
        organisation="Ministry of the Interior",
    )
    network_only = write_lesson(author=demo.member, title="Network-only lesson on consent")
    brief = curation.brief_export(
        acting_user=demo.moderator,
        network=demo.digital_nations,
        title="Consent, for the OECD",
        audience="public",
        lessons=Lesson.objects.filter(network=demo.digital_nations),
    )
    assert (
        brief.lesson_count
        == Lesson.objects.filter(
            network=demo.digital_nations, audience="public", state="published", is_hidden=False
        ).count()
    )
    for fmt, text in brief_texts(brief).items():
        assert chatham.title in text, fmt
        assert network_only.title not in text, fmt
        assert "Min-jun" not in text, fmt
        assert "Korea" not in text, fmt
        assert "Ministry of the Interior" not in text, fmt
        assert "a member of Digital Nations" in text, fmt
    assert json.loads(brief.json.open("rb").read())["lessons"][0]["network"] == "Digital Nations"
    assert events("brief.export") == 1


def test_brief_never_carries_moderator_notes_or_flags(demo):
    lesson = Lesson.objects.get(title__startswith="Digital identity wallet")
    moderation.moderator_note_add(acting_user=demo.moderator, lesson=lesson, body="SECRET-NOTE-42")
    moderation.flag_raise(
        acting_user=demo.group_member, lesson=lesson, reason="other", note="SECRET-FLAG-42"
    )
    brief = curation.brief_export(
        acting_user=demo.moderator,
        network=demo.digital_nations,
        title="Identity",
        audience="all_networks",
        collection=Collection.objects.get(title="Digital identity playbook"),
    )
    for fmt, text in brief_texts(brief).items():
        assert "SECRET-NOTE-42" not in text, fmt
        assert "SECRET-FLAG-42" not in text, fmt
        assert "Digital identity wallet" in text, fmt
        assert "Biometric matching" not in text, fmt  # a working group's lesson never leaves


def test_brief_page_makes_and_serves_past_briefs_to_moderators_only(demo):
    client = sign_in(demo.moderator)
    url = reverse("moderation:briefs", args=["digital-nations"])
    response = client.post(url, {"title": "For the UN", "audience": "public"})
    assert response.status_code == 302
    brief = Brief.objects.get(title="For the UN")
    for extension in Brief.FORMATS:
        download = reverse(
            "moderation:brief_download", args=["digital-nations", brief.pk, extension]
        )
        got = client.get(download)
        assert got.status_code == 200
        assert got["Content-Disposition"].startswith("attachment;")
        assert sign_in(demo.member).get(download).status_code == 403
        assert sign_in(demo.outsider).get(download).status_code == 404
    empty = client.post(url, {"title": "Nothing", "audience": "public", "tag": "no-such-tag"})
    assert empty.status_code == 200
    assert not Brief.objects.filter(title="Nothing").exists()


def test_csv_brief_cells_cannot_run_as_formulas(demo, write_lesson):
    write_lesson(author=demo.member, audience="public", title='=HYPERLINK("http://x")')
    brief = curation.brief_export(
        acting_user=demo.moderator,
        network=demo.digital_nations,
        title="Formulas",
        audience="public",
        lessons=Lesson.objects.filter(title__startswith="="),
    )
    assert "'=HYPERLINK" in brief.csv.open("rb").read().decode()


def test_review_services_refuse_non_moderators(demo):
    from django.core.exceptions import PermissionDenied

    lesson = Lesson.objects.get(title__startswith="Digital service standard")
    with pytest.raises(PermissionDenied):
        services.lesson_review_approve(acting_user=demo.member, lesson=lesson)
    with pytest.raises(PermissionDenied):
        moderation.lesson_hide(acting_user=demo.dpi_convenor, lesson=lesson, reason="x")
