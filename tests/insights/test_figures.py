"""The figures of a network's insights, on the small world of conftest.py: right, private,
and computed in a fixed number of queries."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from discussion import services as discussion
from insights.figures import network_insights
from networks.models import Attribution, Country, Membership, NetworkCountry
from tests.insights.conftest import answer, ask, invite, months_ago, official, publish
from tests.networks.conftest import sign_in


def sections_of(user, network):
    _period, sections = network_insights(user, network)
    return {section.key: section for section in sections}


def series(user, network):
    charts = sections_of(user, network)["activity"].context["charts"]
    return {chart.key: [bar.value for bar in chart.bars] for chart in charts}


def countries(user, network):
    entries = sections_of(user, network)["participation"].context["countries"]
    return {entry.country.code: entry for entry in entries}


def test_activity_a_month_for_the_convenor(world):
    figures = series(world.convenor, world.network)
    assert {key: len(values) for key, values in figures.items()} == {
        "lessons": 12,
        "comments": 12,
        "endorsements": 12,
        "officials": 12,
        "countries": 12,
    }
    # This month: Uruguay 3, Portugal 1, Estonia 3 (Chatham House), the group's 1.
    assert figures["lessons"][-1] == 8
    assert figures["lessons"][-3] == 1  # Ana's lesson of two months ago
    assert sum(figures["lessons"]) == 9
    assert figures["comments"][-1] == 6
    assert figures["endorsements"][-1] == 2
    assert figures["officials"][-1] == 6  # all six officials did something this month
    assert figures["countries"][-1] == 4  # Canada did nothing
    assert (figures["officials"][-3], figures["countries"][-3]) == (1, 1)
    # Last month: Carla asked, Pedro answered. Asking and answering are activity too.
    assert (figures["officials"][-2], figures["countries"][-2]) == (2, 2)


def test_participation_by_country_for_the_convenor(world):
    by_country = countries(world.convenor, world.network)
    assert list(by_country) == ["CA", "DK", "EE", "PT", "UY"]  # by name
    uruguay = by_country["UY"]
    assert (uruguay.lessons.value, uruguay.comments.value) == (4, 3)
    assert uruguay.endorsements.value is None  # Bruno's one: fewer than 3
    assert uruguay.contributed
    assert not by_country["CA"].contributed


def test_chatham_house_lessons_count_in_totals_never_for_their_country(world):
    # Kai wrote three lessons under the Chatham House rule and nothing else.
    assert series(world.convenor, world.network)["lessons"][-1] == 8
    estonia = countries(world.convenor, world.network)["EE"]
    assert estonia.lessons.value is None  # three lessons, but none told by country
    assert not estonia.contributed
    # Dora's comment on a Chatham House lesson is not told as Denmark's either: for Pedro
    # (outside the group), Denmark gave one endorsement and no comment.
    denmark = countries(world.moderator, world.network)["DK"]
    assert denmark.comments.value is None
    assert denmark.contributed
    # Three more comments of Denmark on Chatham House lessons still do not count for it.
    for lesson in world.chatham:
        discussion.comment_create(acting_user=world.dane, lesson=lesson, body="And then?")
    denmark = countries(world.moderator, world.network)["DK"]
    assert denmark.comments.value is None
    assert series(world.moderator, world.network)["comments"][-1] == 4 + 3


def test_a_working_groups_activity_counts_only_for_its_members(world):
    kai, pedro = world.convenor, world.moderator  # Kai is in the group; Pedro moderates only
    assert series(kai, world.network)["lessons"][-1] == 8
    assert series(pedro, world.network)["lessons"][-1] == 7
    assert series(kai, world.network)["comments"][-1] == 6
    assert series(pedro, world.network)["comments"][-1] == 4
    discussed = sections_of(pedro, world.network)["lessons"].context["discussed"]
    assert world.grouped.title not in [row["lesson__title"] for row in discussed]
    discussed = sections_of(kai, world.network)["lessons"].context["discussed"]
    assert [row["lesson__title"] for row in discussed] == [
        "Portugal lesson",
        "Group-only pilot",
        "Unattributed lesson 1",
    ]
    # Dora's group lesson counts for Denmark only for Kai, who may see it.
    assert countries(kai, world.network)["DK"].lessons.value is None
    page = sign_in(pedro).get(reverse("insights:dashboard", args=[world.network.slug]))
    assert "Group-only pilot" not in page.content.decode()


def test_no_count_below_three_is_shown_for_a_country(world):
    response = sign_in(world.convenor).get(reverse("insights:dashboard", args=[world.network.slug]))
    html = response.content.decode()
    portugal = html.split('<th scope="row">Portugal</th>', 1)[1].split("</tr>", 1)[0]
    assert "fewer than 3" in portugal
    assert ">1<" not in portugal
    assert ">0<" not in portugal
    uruguay = html.split('<th scope="row">Uruguay</th>', 1)[1].split("</tr>", 1)[0]
    assert ">4<" in uruguay
    assert ">3<" in uruguay
    assert "fewer than 3" in uruguay
    rows = list(
        csv.reader(
            io.StringIO(
                sign_in(world.convenor)
                .get(reverse("insights:csv", args=[world.network.slug]))
                .content.decode()
            )
        )
    )
    by_country = {(row[1], row[2]): row[3] for row in rows if row[0].startswith("Participation")}
    assert by_country[("Portugal", "Lessons written")] == "fewer than 3"
    assert by_country[("Uruguay", "Lessons written")] == "4"
    assert by_country[("Canada", "Participation")] == "Did not contribute"


def test_fewer_than_three_is_translated(world):
    with translation.override("fr"):
        entry = countries(world.convenor, world.network)["PT"]
        assert str(entry.lessons) == translation.gettext("fewer than %(number)s") % {"number": 3}


def test_most_applied_lessons(world):
    applied = sections_of(world.convenor, world.network)["lessons"].context["applied"]
    assert [(row["lesson__title"], row["number"]) for row in applied] == [("Uruguay lesson 1", 2)]


def test_invitations_waiting_and_expiring_for_the_convenor_only(world):
    network, kai = world.network, world.convenor
    invite(network, kai, "soon@gub.uy", expires_in_days=5)
    invite(network, kai, "later@gub.uy", expires_in_days=30)
    invite(network, kai, "gone@gub.uy", expires_in_days=-1)
    invite(network, kai, "revoked@gub.uy", expires_in_days=5, revoked_at=timezone.now())
    section = sections_of(kai, network)["invitations"]
    assert (section.context["pending"], section.context["expiring"]) == (2, 1)
    assert "invitations" not in sections_of(world.moderator, network)


def test_months_are_shown_for_the_language(world):
    client = sign_in(world.convenor)
    url = reverse("insights:dashboard", args=[world.network.slug])
    period, _sections = network_insights(world.convenor, world.network)
    with translation.override("fr"):
        month = date_format(period.months[-1], "YEAR_MONTH_FORMAT")
    assert month.split()[0] not in date_format(period.months[-1], "YEAR_MONTH_FORMAT")
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert month in response.content.decode()


def test_charts_are_images_with_a_name_and_the_same_numbers_in_a_table(world):
    html = (
        sign_in(world.convenor)
        .get(reverse("insights:dashboard", args=[world.network.slug]))
        .content.decode()
    )
    assert html.count('role="img"') == 7
    assert '<title id="chart-questions-title">Questions asked</title>' in html
    # Each table scrolls in its own region, named by the table's caption.
    assert re.search(
        r'aria-labelledby="(chart-\w+-table)"><table[^>]*>\s*<caption id="\1">Answers given<', html
    )
    assert 'aria-labelledby="chart-lessons-title chart-lessons-desc"' in html
    assert '<title id="chart-lessons-title">Lessons published</title>' in html
    assert '<caption id="chart-lessons-table">Lessons published</caption>' in html
    assert html.count('<th scope="row">') >= 7 * 12


def test_csv_holds_every_section_and_cannot_run_as_a_formula(world):
    formula = publish(world.uruguayans[1], world.network, '=HYPERLINK("http://x")')
    discussion.comment_create(acting_user=world.uruguayans[0], lesson=formula, body="!")
    response = sign_in(world.convenor).get(reverse("insights:csv", args=[world.network.slug]))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="insight-exchange')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Section", "Subject", "Figure", "Value"]
    sections = {row[0] for row in rows[1:]}
    assert sections == {
        "Activity month by month",
        "Questions and answers",
        "Participation by member country",
        "Lessons that travelled",
        "Invitations",
    }
    month = timezone.localdate().strftime("%Y-%m")
    assert ["Activity month by month", month, "Lessons published", "9"] in rows
    titles = [row[1] for row in rows if row[0] == "Lessons that travelled"]
    assert '\'=HYPERLINK("http://x")' in titles
    assert not any(cell.startswith("=") for row in rows for cell in row)


def _grow(world, size):
    """More of everything: `size` more countries with an official each, lessons, comments,
    questions answered and waiting."""
    codes = list(
        Country.objects.exclude(network_links__network=world.network)
        .order_by("code")
        .values_list("code", flat=True)[:size]
    )
    for index, code in enumerate(codes):
        NetworkCountry.objects.create(network=world.network, country=Country.objects.get(code=code))
        author = official(f"grow{index}@example.{code.lower()}", code, f"Official {code}")
        Membership.objects.create(user=author, network=world.network)
        lesson = publish(author, world.network, f"Grown {code}", attribution=Attribution.COUNTRY)
        discussion.comment_create(acting_user=world.uruguayans[0], lesson=lesson, body="Thanks.")
        old = publish(author, world.network, f"Old {code}")
        type(old).objects.filter(pk=old.pk).update(published_at=months_ago(1 + index % 10))
        question = ask(
            author,
            world.network,
            f"Asked by {code}",
            at=months_ago(index % 10),
            attribution=Attribution.COUNTRY,
        )
        answer(world.uruguayans[1], question, hours_later=index + 1)
        ask(author, world.network, f"Waiting in {code}", at=months_ago(index % 3))


@pytest.mark.parametrize("name", ["insights:dashboard", "insights:csv"])
def test_queries_do_not_grow_with_the_network(world, name):
    client = sign_in(world.convenor)
    url = reverse(name, args=[world.network.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(world, 6)
    client.get(url)  # the header's remembered unread count, read again after the writes
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), "\n".join(q["sql"][:300] for q in large.captured_queries)
