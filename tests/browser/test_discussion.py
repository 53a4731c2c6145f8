"""Discussing a lesson in a real Chromium: comment with an @ mention chosen from the suggestions,
reply, edit (and its history), delete; the mentioned official reads the inbox, changes their
email preferences and unsubscribes from the link in an email. axe checks every page visited."""

import re

import pytest
from playwright.sync_api import expect

from lessons.models import Lesson
from notifications.models import Delivery, NotificationPreference
from tests.browser.axe import assert_accessible
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LESSON = "AI chatbot for tax questions: accuracy was not the hard part"


def comment(page, text):
    return page.locator("article.comment", has_text=text)


def test_comment_mention_reply_edit_and_delete(page, live_server, demo):
    lesson = Lesson.objects.get(title=LESSON)
    sign_in(page, live_server, demo.member.email, demo.password)
    page.goto(live_server.url + lesson.get_absolute_url())
    assert_accessible(page)

    box = page.get_by_label("Your comment")
    box.press_sequentially("Thanks @Min")
    option = page.get_by_role("option", name=re.compile("Min-jun Kim"))
    expect(option).to_be_visible()
    assert_accessible(page)  # with the suggestions open
    option.click()
    expect(box).to_have_value("Thanks @Min-jun Kim ")
    box.press_sequentially("how long did the pilot run?")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("Your comment is posted.")).to_be_visible()
    expect(comment(page, "how long did the pilot run?")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Reply to João Silva").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reply to João Silva")
    assert_accessible(page)
    page.get_by_label("Your reply").fill("Same for us in Uruguay.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("Your reply is posted.")).to_be_visible()
    assert_accessible(page)

    comment(page, "how long did the pilot run?").get_by_role(
        "link", name="Edit your comment"
    ).click()
    assert_accessible(page)
    page.get_by_label("Your comment").fill("Thanks @Min-jun Kim: how long did the pilot last?")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Your comment is changed.")).to_be_visible()
    assert_accessible(page)
    comment(page, "how long did the pilot last?").get_by_role(
        "link", name=re.compile("edited")
    ).click()
    expect(page.get_by_text("how long did the pilot run?")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + lesson.get_absolute_url())
    comment(page, "Same for us in Uruguay.").get_by_role("link", name="Delete your comment").click()
    assert_accessible(page)
    page.get_by_role("button", name="Delete the comment").click()
    expect(page.get_by_text("Comment deleted.")).to_be_visible()
    expect(page.get_by_text("Same for us in Uruguay.")).to_have_count(0)
    assert_accessible(page)


def test_inbox_preferences_and_unsubscribe_from_an_email(
    page, browser, live_server, demo, mailoutbox, run_worker
):
    lesson = Lesson.objects.get(title=LESSON)
    from discussion import services as discussion

    discussion.comment_create(
        acting_user=demo.member, lesson=lesson, body="A question for @Min-jun Kim about the bot"
    )
    sign_in(page, live_server, demo.group_member.email, demo.password)
    page.get_by_role("link", name=re.compile(r"^Notifications \d+ unread")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    assert_accessible(page)
    page.get_by_role("link", name=f"Lucía Pérez mentioned you on “{LESSON}”").click()
    expect(comment(page, "A question for @Min-jun Kim")).to_be_visible()
    assert_accessible(page)

    # Opening it changed nothing; "Mark as read" (a POST) does, and comes back to the inbox.
    page.get_by_role("link", name=re.compile("^Notifications")).click()
    mark = page.get_by_role("button", name="Mark as read").first
    expect(mark).to_be_visible()
    mark.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    assert_accessible(page)
    page.get_by_role("link", name="Choose which emails you get").click()
    assert_accessible(page)
    page.get_by_label("A daily digest").check()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_text("Your email choices are saved.")).to_be_visible()
    assert_accessible(page)
    preference = NotificationPreference.objects.get(user=demo.group_member, network=lesson.network)
    assert preference.delivery == Delivery.DAILY

    run_worker()  # the mention's email, made before the change, goes now
    (email,) = [m for m in mailoutbox if m.to == [demo.group_member.email]]
    link = re.search(r"https?://\S+/notifications/unsubscribe/\S+/", email.body).group(0)
    assert email.extra_headers["List-Unsubscribe"] == f"<{link}>"
    visitor = browser.new_context(base_url=live_server.url).new_page()  # not signed in
    visitor.goto(live_server.url + "/notifications/unsubscribe/" + link.split("/unsubscribe/")[1])
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Stop notification emails from Digital Nations?"
    )
    assert_accessible(visitor)
    visitor.get_by_role("button", name="Unsubscribe").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    assert_accessible(visitor)
    preference.refresh_from_db()
    assert preference.delivery == Delivery.NEVER
    visitor.context.close()
