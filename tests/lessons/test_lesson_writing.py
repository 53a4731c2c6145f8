"""Writing lessons: sections, Markdown safety, drafts, conflicts, double submits, history."""

import re
import uuid
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from lessons import services
from lessons.models import Lesson, LessonRevision
from networks.models import AuditEvent
from networks.services import ActionRefused

XSS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<svg onload="alert(1)"><circle r="5"/></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "![img](javascript:alert(1))",
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
]


def form_data(**overrides):
    return {
        "title": "Cloud contracts nobody used",
        "summary": "Framework contracts signed; usage stayed low until the rules came.",
        "stage": "pilot",
        "outcome": "mixed",
        "language": "en",
        "organisation": "AGESIC",
        "intended": "Move workloads to the cloud.",
        "happened": "Usage stayed under 10%.",
        "worked": "A shared landing zone.",
        "did_not_work": "Tendering before the data classification.",
        "why": "Lawyers read the rules differently.",
        "recommendations": "Classify data first.",
        "evidence": "10% usage after a year.",
        "transfer_conditions": "Needs a central cloud team.",
        "tags": "Cloud,  PROCUREMENT , cloud",
        "audience": "network",
        "attribution": "chatham",
        "creation_token": str(uuid.uuid4()),
        "network": "digital-nations",
        **overrides,
    }


class ElementCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


@pytest.mark.parametrize("payload", XSS)
def test_markdown_fields_render_inert(client, demo, write_lesson, payload):
    fields = dict.fromkeys(Lesson.SECTIONS, f"Before {payload} after")
    lesson = write_lesson(author=demo.member, summary=f"Summary {payload}", **fields)
    client.force_login(demo.group_member)
    body = client.get(lesson.get_absolute_url()).content.decode()
    article = body.split('<article class="lesson"', 1)[1].split("</article>", 1)[0]
    assert "Before" in article
    collector = ElementCollector()
    collector.feed(article)
    for tag, attrs in collector.elements:
        assert tag not in {"script", "iframe", "svg", "style", "img", "object", "embed"}, tag
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert "style" not in attrs, (tag, attrs)
        for name in ("href", "src"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)


def test_write_publish_and_see_the_lesson(client, demo):
    client.force_login(demo.member)
    url = reverse("lessons:create") + "?network=digital-nations"
    response = client.post(url, form_data(action="publish"))
    lesson = Lesson.objects.get(title="Cloud contracts nobody used")
    assert response["Location"] == lesson.get_absolute_url()
    assert lesson.state == Lesson.State.PUBLISHED
    assert lesson.author == demo.member
    assert lesson.author_country.code == "UY"
    assert sorted(lesson.tags.values_list("name", flat=True)) == ["cloud", "procurement"]
    page = client.get(lesson.get_absolute_url()).content.decode()
    for text in ("A shared landing zone.", "Tendering before", "Classify data first."):
        assert text in page


def test_publishing_needs_both_what_worked_and_what_did_not(client, demo):
    client.force_login(demo.member)
    url = reverse("lessons:create") + "?network=digital-nations"
    response = client.post(url, form_data(action="publish", did_not_work=""))
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "A shared landing zone." in body  # what was typed is kept
    assert not Lesson.objects.filter(title="Cloud contracts nobody used").exists()
    # A draft may be incomplete.
    client.post(url, form_data(action="draft", did_not_work=""))
    assert Lesson.objects.get(title="Cloud contracts nobody used").state == Lesson.State.DRAFT


def test_preview_renders_markdown_and_saves_nothing(client, demo):
    client.force_login(demo.member)
    url = reverse("lessons:create") + "?network=digital-nations"
    response = client.post(url, form_data(action="preview", worked="**Bold** move"))
    assert "<strong>Bold</strong> move" in response.content.decode()
    assert not Lesson.objects.filter(title="Cloud contracts nobody used").exists()


def test_double_submitted_form_creates_one_lesson(client, demo):
    client.force_login(demo.member)
    url = reverse("lessons:create") + "?network=digital-nations"
    data = form_data(action="publish")
    first = client.post(url, data)
    second = client.post(url, data)
    assert Lesson.objects.filter(title="Cloud contracts nobody used").count() == 1
    assert first["Location"] == second["Location"]


def test_writing_in_a_network_one_does_not_belong_to_is_404(client, demo):
    client.force_login(demo.outsider)
    url = reverse("lessons:create") + "?network=digital-nations"
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(action="publish")).status_code == 404
    assert not Lesson.objects.filter(title="Cloud contracts nobody used").exists()


def test_tampered_network_in_the_form_is_refused(client, demo):
    client.force_login(demo.member)
    url = reverse("lessons:create")
    assert client.post(url, form_data(network="dpi-peer-network")).status_code == 404


def test_conflicting_edits_keep_both_texts(client, demo, write_lesson):
    lesson = write_lesson(author=demo.member)
    client.force_login(demo.member)
    edit = reverse("lessons:edit", args=[lesson.pk])
    page = client.get(edit).content.decode()
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    # Another tab saves first.
    services.lesson_update(
        acting_user=demo.member,
        lesson=lesson,
        data={"worked": "Text saved in the other tab."},
        tags=["consent"],
        version=lesson.version,
    )
    data = form_data(version=version, worked="Text typed in this tab.", action="save")
    response = client.post(edit, data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Text saved in the other tab." in body
    assert "Text typed in this tab." in body
    lesson.refresh_from_db()
    assert lesson.worked == "Text saved in the other tab."
    # Saving again from the conflict page, on top of the newer version, works.
    newer = re.search(r'name="version" value="(\d+)"', body).group(1)
    response = client.post(edit, {**data, "version": newer})
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.worked == "Text typed in this tab."


def test_every_edit_of_a_published_lesson_keeps_a_revision_shown_as_a_diff(
    client, demo, write_lesson
):
    lesson = write_lesson(author=demo.member)
    services.lesson_update(
        acting_user=demo.member,
        lesson=lesson,
        data={"worked": "Plain-language consent, tested with farmers."},
        tags=["consent"],
        version=lesson.version,
    )
    assert LessonRevision.objects.filter(lesson=lesson).count() == 1
    client.force_login(demo.group_member)
    history = client.get(reverse("lessons:history", args=[lesson.pk])).content.decode()
    assert "<del>users.</del>" in history
    assert "<ins>farmers.</ins>" in history


def test_editing_is_for_the_author(client, demo, write_lesson):
    lesson = write_lesson(author=demo.member)
    client.force_login(demo.group_member)
    assert client.get(reverse("lessons:edit", args=[lesson.pk])).status_code == 403
    client.force_login(demo.outsider)
    assert client.get(reverse("lessons:edit", args=[lesson.pk])).status_code == 404


def test_withdraw_hides_restore_brings_back_and_purge_deletes_after_30_days(
    client, demo, write_lesson, run_worker, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    lesson = write_lesson(author=demo.member)
    client.force_login(demo.member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("lessons:withdraw", args=[lesson.pk]))
    lesson.refresh_from_db()
    assert lesson.state == Lesson.State.WITHDRAWN
    reader = type(client)()
    reader.force_login(demo.group_member)
    assert reader.get(lesson.get_absolute_url()).status_code == 404
    listing = reader.get(reverse("lessons:network_list", args=["digital-nations"]))
    assert lesson.title not in listing.content.decode()

    client.post(reverse("lessons:restore", args=[lesson.pk]))
    lesson.refresh_from_db()
    assert lesson.state == Lesson.State.PUBLISHED
    assert reader.get(lesson.get_absolute_url()).status_code == 200
    assert AuditEvent.objects.filter(action="lesson.withdraw", target_id=str(lesson.pk)).exists()

    # Withdrawn again, and left for more than 30 days: the scheduled task purges it.
    with django_capture_on_commit_callbacks(execute=True):
        services.lesson_withdraw(acting_user=demo.moderator, lesson=lesson)
    run_worker()  # not yet due: nothing happens
    assert Lesson.objects.filter(pk=lesson.pk).exists()
    Lesson.objects.filter(pk=lesson.pk).update(withdrawn_at=timezone.now() - timedelta(days=31))
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))
    run_worker()
    assert not Lesson.objects.filter(pk=lesson.pk).exists()


def test_narrowing_is_immediate_and_widening_needs_author_and_moderator(demo, write_lesson):
    lesson = write_lesson(author=demo.member)
    request = services.lesson_change_audience(
        acting_user=demo.member, lesson=lesson, audience="public"
    )
    lesson.refresh_from_db()
    assert lesson.audience == "network"  # not yet
    assert request.state == "pending"
    with pytest.raises(Exception):  # noqa: B017, PT011 (the asker cannot approve their own request)
        services.audience_request_decide(acting_user=demo.member, request=request, approve=True)
    services.audience_request_decide(acting_user=demo.moderator, request=request, approve=True)
    lesson.refresh_from_db()
    assert lesson.audience == "public"
    assert (
        AuditEvent.objects.filter(
            action="lesson.audience_request", target_id=str(lesson.pk)
        ).count()
        == 1
    )
    assert (
        AuditEvent.objects.filter(action="lesson.audience_widen", target_id=str(lesson.pk)).count()
        == 1
    )
    services.lesson_change_audience(acting_user=demo.moderator, lesson=lesson, audience="network")
    lesson.refresh_from_db()
    assert lesson.audience == "network"
    assert AuditEvent.objects.filter(action="lesson.audience_narrow").exists()


def test_moderator_asks_and_author_agrees(demo, write_lesson):
    lesson = write_lesson(author=demo.member)
    request = services.lesson_change_audience(
        acting_user=demo.moderator, lesson=lesson, audience="all_networks"
    )
    with pytest.raises(Exception):  # noqa: B017, PT011 (another moderator is not the other party)
        services.audience_request_decide(acting_user=demo.convenor, request=request, approve=True)
    services.audience_request_decide(acting_user=demo.member, request=request, approve=True)
    lesson.refresh_from_db()
    assert lesson.audience == "all_networks"


def test_return_from_review_needs_a_message(demo, write_lesson):
    demo.digital_nations.requires_review = True
    demo.digital_nations.save()
    lesson = write_lesson(author=demo.member)
    with pytest.raises(ActionRefused):
        services.lesson_review_return(acting_user=demo.moderator, lesson=lesson, message=" ")
    services.lesson_review_return(acting_user=demo.moderator, lesson=lesson, message="Add figures.")
    lesson.refresh_from_db()
    assert lesson.state == Lesson.State.DRAFT
    assert lesson.review_message == "Add figures."


def test_endorsing_toggles_and_applied_shows_prominently(client, demo, write_lesson):
    lesson = write_lesson(author=demo.member)
    client.force_login(demo.group_member)
    client.post(
        reverse("lessons:endorse", args=[lesson.pk]), {"kind": "applied", "note": "Used it."}
    )
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "A lesson learned: applied by 1 government" in page
    assert lesson.endorsements.count() == 1
    client.post(reverse("lessons:endorse", args=[lesson.pk]), {"kind": "applied"})
    assert lesson.endorsements.count() == 0


def test_author_cannot_endorse_their_own_lesson(client, demo, write_lesson):
    lesson = write_lesson(author=demo.member)
    client.force_login(demo.member)
    response = client.post(reverse("lessons:endorse", args=[lesson.pk]), {"kind": "useful"})
    assert response.status_code == 403
    assert lesson.endorsements.count() == 0


def test_tags_are_offered_from_the_space_only(client, demo, write_lesson):
    write_lesson(author=demo.member)
    client.force_login(demo.member)
    url = reverse("lessons:tag_suggestions")
    tags = client.get(url, {"network": "digital-nations", "q": "con"}).json()["tags"]
    assert "consent" in tags
    client.force_login(demo.outsider)
    assert client.get(url, {"network": "digital-nations", "q": "con"}).status_code == 404
    dpi = client.get(url, {"network": "dpi-peer-network", "q": "cl"}).json()["tags"]
    assert "cloud" not in dpi  # Digital Nations' lessons' tags stay there
