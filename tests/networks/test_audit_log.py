"""The audit log in words: each event's type and a sentence, filters by type, person and days,
and the same events as a CSV file, for the network's convenor only."""

import csv
import io
import re
from datetime import timedelta

from django.utils import timezone

from networks.models import AuditEvent
from tests.networks.conftest import sign_in

DN = "/networks/digital-nations/"


def _rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def _write(cast, action, *, actor, days_ago=0, target_label=""):
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        network=cast.digital_nations,
        target_label=target_label,
        created_at=timezone.now() - timedelta(days=days_ago),
    )


def test_the_log_shows_each_event_type_in_words_never_its_code(cast):
    _write(cast, "brief.export", actor=cast.moderator, target_label="G20 brief")
    _write(cast, "lesson.approve", actor=cast.moderator, target_label="Estonia’s e-ID")
    page = sign_in(cast.convenor).get(DN + "audit/").content.decode()
    body = page.split("<tbody>")[1]
    assert "Exported a brief" in body
    assert f"{cast.moderator.display_name} exported the brief “G20 brief”." in body
    assert "approved and published the lesson “Estonia’s e-ID”" in body
    shown = re.sub(r'(value|href)="[^"]*"', "", page)  # codes stay in the form's values only
    assert "brief.export" not in shown
    assert "lesson.approve" not in shown


def test_the_log_filters_by_type_person_and_days(cast):
    _write(cast, "lesson.hide", actor=cast.moderator, days_ago=10, target_label="Old hide")
    _write(cast, "lesson.hide", actor=cast.moderator, days_ago=2, target_label="Recent hide")
    _write(cast, "lesson.hide", actor=cast.convenor, days_ago=2, target_label="Convenor hide")
    _write(cast, "lesson.feature", actor=cast.moderator, days_ago=2, target_label="Featured")
    convenor = sign_in(cast.convenor)
    since = (timezone.localdate() - timedelta(days=5)).isoformat()
    page = convenor.get(
        DN + "audit/",
        {"action": "lesson.hide", "actor": cast.moderator.pk, "since": since},
    ).content.decode()
    body = page.split("<tbody>")[1]
    assert "Recent hide" in body
    assert "Old hide" not in body
    assert "Convenor hide" not in body
    assert "Featured" not in body
    # The filters are a labelled GET form; the download carries them.
    assert '<label for="id_since">From' in page
    assert '<label for="id_action">Type of event' in page
    assert "audit.csv?action=lesson.hide" in page
    until = (timezone.localdate() - timedelta(days=5)).isoformat()
    older = convenor.get(DN + "audit/", {"until": until}).content.decode().split("<tbody>")[1]
    assert "Old hide" in older
    assert "Recent hide" not in older


def test_a_range_that_ends_before_it_starts_is_an_error_not_every_event(cast):
    _write(cast, "lesson.hide", actor=cast.moderator, target_label="Recent hide")
    page = (
        sign_in(cast.convenor)
        .get(DN + "audit/", {"since": "2026-12-01", "until": "2026-11-01"})
        .content.decode()
    )
    assert "The last day comes before the first day." in page
    assert "Recent hide" not in page


def test_the_convenor_downloads_the_filtered_events_as_csv_with_safe_cells(cast):
    _write(cast, "lesson.hide", actor=cast.moderator, target_label='=HYPERLINK("x")')
    _write(cast, "lesson.feature", actor=cast.moderator, target_label="Featured")
    response = sign_in(cast.convenor).get(DN + "audit.csv", {"action": "lesson.hide"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    assert rows[0][:5] == ["When", "Who", "Type of event", "What happened", "About"]
    assert len(rows) == 2
    assert rows[1][1] == cast.moderator.display_name
    assert rows[1][2] == "Hid a lesson"
    assert rows[1][4] == '\'=HYPERLINK("x")'  # a spreadsheet shows it, never runs it
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_only_the_convenor_downloads_the_log(cast):
    _write(cast, "lesson.hide", actor=cast.moderator, target_label="Secret hide")
    for persona, status in [
        (cast.outsider, 404),
        (cast.member, 403),
        (cast.moderator, 403),
        (cast.convenor, 200),
    ]:
        response = sign_in(persona).get(DN + "audit.csv")
        assert response.status_code == status, persona
        if status != 200:
            assert b"Secret hide" not in response.content
    # Another network's convenor sees nothing of this one.
    assert sign_in(cast.convenor).get("/networks/no-such-network/audit.csv").status_code == 404
