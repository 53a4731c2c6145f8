"""The demo moderator clears the queue, curates a collection and exports a brief, in Chromium."""

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from discussion.models import Comment
from lessons.models import Lesson
from moderation.models import Brief, Collection
from tests.browser.axe import assert_accessible
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_work_through_the_queue(page, live_server, demo):
    sign_in(page, live_server, demo.moderator.email, demo.password, totp_secret=demo.totp_secret)
    page.goto(live_server.url + "/networks/digital-nations/moderation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation")
    assert_accessible(page)

    page.get_by_role(
        "link", name="Digital service standard: assessments that teams dreaded"
    ).click()
    assert_accessible(page)
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.get_by_text("The lesson is published.")).to_be_visible()
    assert Lesson.objects.get(title__startswith="Digital service standard").state == "published"

    page.goto(live_server.url + "/networks/digital-nations/moderation/")
    page.get_by_role(
        "link", name="AI chatbot for tax questions: accuracy was not the hard part"
    ).first.click()
    page.get_by_label("Note for the moderators").fill("Asked Min-jun for the full-year figure.")
    page.get_by_role("button", name="Add the note").click()
    expect(page.get_by_text("Asked Min-jun for the full-year figure.")).to_be_visible()
    page.get_by_role("button", name="Show it again and resolve the flags").click()
    expect(page.get_by_text("its flags are resolved")).to_be_visible()
    assert_accessible(page)


def test_hide_a_flagged_comment_from_the_queue_and_close_the_comments(page, live_server, demo):
    sign_in(page, live_server, demo.moderator.email, demo.password, totp_secret=demo.totp_secret)
    page.goto(live_server.url + "/networks/digital-nations/moderation/")
    queue = page.get_by_role("region", name="Flagged comments")
    expect(queue).to_contain_text("Could the figures get a source before we quote them?")
    queue.get_by_role("link", name=re.compile(r"^Comment by Min-jun Kim on")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A comment by Min-jun Kim")
    assert_accessible(page)
    page.get_by_role("button", name="Hide the comment").click()
    expect(page.locator(".error-summary")).to_be_visible()  # a reason is needed
    assert_accessible(page)
    page.locator("#id_hide-reason").fill("The figures have no source yet.")
    page.get_by_role("button", name="Hide the comment").click()
    expect(page.get_by_text("The comment is hidden; its flags are resolved.")).to_be_visible()
    assert_accessible(page)
    comment = Comment.objects.get(body__startswith="A button on every answer")
    assert comment.is_hidden
    assert not comment.flags.filter(resolved_at__isnull=True).exists()

    page.get_by_role("link", name="Moderate the lesson").click()
    page.locator("#id_lock-reason").fill("The pilot figures are settled; the thread is done.")
    page.get_by_role("button", name="Close the comments").click()
    expect(page.get_by_text("Comments on the lesson are closed.")).to_be_visible()
    assert_accessible(page)
    assert Lesson.objects.get(pk=comment.lesson_id).comments_locked

    page.goto(live_server.url + comment.lesson.get_absolute_url())
    expect(page.get_by_text("Comments on this lesson are closed.")).to_be_visible()
    hidden_note = page.get_by_text("Hidden by a moderator: only the network’s moderators see it.")
    expect(hidden_note).to_be_visible()
    assert_accessible(page)


def test_member_flags_a_comment_without_javascript_help(page, live_server, demo):
    sign_in(page, live_server, demo.member.email, demo.password)
    lesson = Lesson.objects.get(title__startswith="Digital identity wallet")
    page.goto(live_server.url + lesson.get_absolute_url())
    page.get_by_role("link", name="Flag the comment by Kadri Tamm").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send the report").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Breaks the network’s rules").check()
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("The network’s moderators will look at it.")).to_be_visible()
    assert_accessible(page)
    assert Comment.objects.get(lesson=lesson, author=demo.convenor).flags.get().reason == "rules"


def test_build_and_reorder_a_collection_then_export_a_brief(page, live_server, demo):
    sign_in(page, live_server, demo.moderator.email, demo.password, totp_secret=demo.totp_secret)
    page.goto(live_server.url + "/networks/digital-nations/collections/")
    assert_accessible(page)
    page.get_by_role("link", name="Make a collection").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Cloud and AI")
    page.get_by_label("Introduction").fill("Two lessons on buying and using new technology.")
    page.get_by_label("Who may open it").select_option("all_networks")
    page.get_by_role("button", name="Make the collection").click()
    assert_accessible(page)
    for title in ("Cloud-first procurement", "AI chatbot for tax questions"):
        option = page.locator("#add-lesson option", has_text=title).get_attribute("value")
        page.get_by_label("Lesson", exact=True).select_option(option)
        page.get_by_role("button", name="Add it").click()
        expect(page.locator(".ordered-items")).to_contain_text(title)
    page.get_by_role("button", name=re.compile(r"^Up\W+AI chatbot")).click()
    expect(page.locator(".ordered-items li").first).to_contain_text("AI chatbot")
    collection = Collection.objects.get(title="Cloud and AI")
    titles = [item.lesson.title for item in collection.items.order_by("position")]
    assert titles[0].startswith("AI chatbot")
    assert_accessible(page)

    page.goto(live_server.url + "/networks/digital-nations/briefs/")
    assert_accessible(page)
    page.get_by_label("Title").fill("Cloud and AI, for the OECD")
    page.get_by_label("Made for").fill("OECD Working Party on Digital Government")
    page.get_by_label("Lessons that may go as far as").select_option("all_networks")
    page.get_by_label("From a collection").select_option(label="Cloud and AI")
    page.get_by_role("button", name="Make the brief").click()
    # The chatbot lesson is for its network only: a brief for every network leaves it out.
    expect(page.get_by_text("The brief is ready, with 1 lesson.")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^PDF\W+Cloud and AI, for the OECD")).click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert Brief.objects.get().lesson_count == 1


def test_the_convenor_reads_filters_and_downloads_the_audit_log(page, live_server, demo):
    from moderation import services as moderation

    lesson = Lesson.objects.get(title__startswith="AI chatbot for tax questions")
    moderation.lesson_hide(acting_user=demo.moderator, lesson=lesson, reason="Figures unsourced.")
    sign_in(page, live_server, demo.convenor.email, demo.password, totp_secret=demo.totp_secret)
    page.goto(live_server.url + "/networks/digital-nations/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    table = page.get_by_role("table")
    expect(table).to_contain_text(f"{demo.moderator.display_name} hid the lesson “{lesson.title}”.")
    expect(table).not_to_contain_text("lesson.hide")
    assert_accessible(page)

    page.get_by_label("Type of event").select_option(label="Hid a lesson")
    page.get_by_label("Who").select_option(label=demo.moderator.display_name)
    page.get_by_label("From").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"action=lesson\.hide"))
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(1)
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these events (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Hid a lesson" in text
    assert lesson.title in text
    assert "Invited an official" not in text


def test_act_on_several_items_of_the_queue_with_one_confirmation(page, live_server, demo):
    flagged = Lesson.objects.get(title__startswith="AI chatbot for tax questions")
    comment = Comment.objects.get(body__startswith="A button on every answer")
    sign_in(page, live_server, demo.moderator.email, demo.password, totp_secret=demo.totp_secret)
    page.goto(live_server.url + "/networks/digital-nations/moderation/")
    page.get_by_label(f"Tick “{flagged.title}”").check()
    page.get_by_label(re.compile(r"^Tick the comment by Min-jun Kim")).check()
    assert_accessible(page)
    page.get_by_role("button", name="Hide the ticked items").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Hide: confirm")
    expect(page.get_by_role("main")).to_contain_text(flagged.title)
    expect(page.get_by_role("main")).to_contain_text("Comment by Min-jun Kim")
    assert_accessible(page)
    page.get_by_role("button", name="Hide: 2 items").click()
    expect(page.locator(".error-summary")).to_be_visible()  # each author is told a reason
    assert_accessible(page)
    page.get_by_label("Reason (each author is told)").fill("Figures without a source.")
    page.get_by_role("button", name="Hide: 2 items").click()

    expect(page.get_by_text("2 items are done.")).to_be_visible()
    assert_accessible(page)
    flagged.refresh_from_db()
    comment.refresh_from_db()
    assert flagged.is_hidden
    assert comment.is_hidden
