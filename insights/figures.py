"""A network's life in figures: the sections of the insights dashboard and of its CSV.

Every figure is an aggregate computed by PostgreSQL over what insights.access lets the viewer's
figures count: a fixed number of queries, whatever the size of the network. Each section is
built by one function of (user, network, period) listed in SECTIONS; the page draws each with
its own template and the CSV writes each one's rows, so a new kind of figure is one more
function, one more template and one more entry in SECTIONS.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from insights import access
from insights.charts import bar_chart
from lessons.models import Endorsement
from networks import access as network_access
from questions.models import Answer, Question

MONTHS = 12
EXPIRING_DAYS = 14
# No count below this is shown for a country: "fewer than 3".
SMALLEST_SHOWN = 3
TOP_LESSONS = 5
UNANSWERED_LISTED = 10


@dataclass(frozen=True)
class Period:
    """The last MONTHS calendar months, this one included, in the current time zone."""

    months: list  # the first day of each month, oldest first
    since: datetime
    now: datetime

    @classmethod
    def ending(cls, now=None):
        now = now or timezone.now()
        first = timezone.localdate(now).replace(day=1)
        months = [first]
        while len(months) < MONTHS:
            previous = months[-1] - timedelta(days=1)
            months.append(previous.replace(day=1))
        months.reverse()
        since = timezone.make_aware(datetime.combine(months[0], time.min))
        return cls(months=months, since=since, now=now)


@dataclass
class Section:
    """One part of the dashboard: drawn by `template` from `context`; written to the CSV as
    `rows` of (subject, figure, value)."""

    key: str
    title: str
    template: str
    context: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)


@dataclass(frozen=True)
class CountryCount:
    """A country's count as it may be shown: the number from SMALLEST_SHOWN up, else words."""

    value: int | None  # None below SMALLEST_SHOWN: the number itself is never handed on

    @classmethod
    def of(cls, number):
        return cls(number if number >= SMALLEST_SHOWN else None)

    def __str__(self):
        if self.value is None:
            return _("fewer than %(number)s") % {"number": SMALLEST_SHOWN}
        return formats.number_format(self.value, force_grouping=True)

    def for_csv(self):
        return str(self) if self.value is None else self.value


def _month_key(moment):
    return (moment.year, moment.month)


def _per_month(queryset, when, since):
    rows = (
        queryset.filter(**{f"{when}__gte": since})
        .annotate(month=TruncMonth(when))
        .order_by()
        .values("month")
        .annotate(number=Count("pk"))
    )
    return {_month_key(row["month"]): row["number"] for row in rows}


def _active_per_month(user, network, since):
    """{month: (active officials, active countries)}: who published, commented, endorsed,
    asked or answered, one query over the five kinds of activity."""

    def activity(queryset, when, who, country):
        return (
            queryset.filter(**{f"{when}__gte": since})
            .order_by()
            .annotate(month=TruncMonth(when), who=F(who), country=F(country))
            .values_list("month", "who", "country")
        )

    together = (
        activity(
            access.counted_lessons(user, network), "published_at", "author_id", "author_country_id"
        )
        .union(
            activity(
                access.counted_comments(user, network),
                "created_at",
                "author_id",
                "author__country_id",
            ),
            activity(
                access.counted_endorsements(user, network),
                "created_at",
                "user_id",
                "user__country_id",
            ),
            activity(
                access.counted_questions(user, network),
                "created_at",
                "author_id",
                "author_country_id",
            ),
            activity(
                access.counted_answers(user, network),
                "created_at",
                "author_id",
                "author_country_id",
            ),
        )
        .order_by()
    )
    sql, params = together.query.sql_with_params()
    with connection.cursor() as cursor:
        # The inner SQL is Django's own, its values passed as parameters.
        query = f"SELECT month, COUNT(DISTINCT who), COUNT(DISTINCT country) FROM ({sql}) AS activity GROUP BY month"  # noqa: E501, S608  # nosec B608
        cursor.execute(query, params)
        return {_month_key(month): (officials, countries) for month, officials, countries in cursor}


def activity_section(user, network, period):
    """Lessons published, comments and endorsements, active officials and countries, a month."""
    lessons = _per_month(access.counted_lessons(user, network), "published_at", period.since)
    comments = _per_month(access.counted_comments(user, network), "created_at", period.since)
    endorsements = _per_month(
        access.counted_endorsements(user, network), "created_at", period.since
    )
    active = _active_per_month(user, network, period.since)
    charts = _charts(
        period,
        [
            ("lessons", _("Lessons published"), lessons),
            ("comments", _("Comments"), comments),
            ("endorsements", _("Endorsements"), endorsements),
            ("officials", _("Active officials"), {k: v[0] for k, v in active.items()}),
            ("countries", _("Active countries"), {k: v[1] for k, v in active.items()}),
        ],
    )
    return Section(
        key="activity",
        title=_("Activity month by month"),
        template="insights/_activity.html",
        context={"charts": charts},
        rows=_chart_rows(charts),
    )


def _charts(period, series):
    """A bar chart for each (key, title, {month: number}) of `series`, a bar a month."""
    return [
        bar_chart(
            key=key,
            title=title,
            points=[(month, numbers.get(_month_key(month), 0)) for month in period.months],
        )
        for key, title, numbers in series
    ]


def _chart_rows(charts):
    # Months as ISO year-month: a CSV is read by spreadsheets, in any language.
    return [
        (bar.month.strftime("%Y-%m"), chart.title, bar.value)
        for chart in charts
        for bar in chart.bars
    ]


def _by_country(queryset, country, since, when):
    return dict(
        queryset.filter(**{f"{when}__gte": since})
        .order_by()
        .values_list(country)
        .annotate(number=Count("pk"))
    )


@dataclass(frozen=True)
class CountryParticipation:
    country: object
    lessons: CountryCount
    comments: CountryCount
    endorsements: CountryCount
    questions: CountryCount
    answers: CountryCount
    contributed: bool


def participation_section(user, network, period):
    """What each member country gave: lessons written, comments, endorsements, questions asked,
    answers given. Only what shows its country counts here (insights.access), and a count
    below 3 is shown in words."""
    since = period.since
    lessons = _by_country(
        access.lessons_by_country(user, network), "author_country_id", since, "published_at"
    )
    comments = _by_country(
        access.comments_by_country(user, network), "author__country_id", since, "created_at"
    )
    endorsements = _by_country(
        access.endorsements_by_country(user, network), "user__country_id", since, "created_at"
    )
    questions = _by_country(
        access.questions_by_country(user, network), "author_country_id", since, "created_at"
    )
    answers = _by_country(
        access.answers_by_country(user, network), "author_country_id", since, "created_at"
    )
    kinds = (lessons, comments, endorsements, questions, answers)
    countries = []
    for link in network_access.member_countries(user, network).prefetch_related(None):
        numbers = [figures.get(link.country_id, 0) for figures in kinds]
        countries.append(
            CountryParticipation(
                link.country,
                *(CountryCount.of(number) for number in numbers),
                contributed=any(numbers),
            )
        )
    rows = []
    for entry in countries:
        rows += [
            (entry.country.name, _("Lessons written"), entry.lessons.for_csv()),
            (entry.country.name, _("Comments"), entry.comments.for_csv()),
            (entry.country.name, _("Endorsements given"), entry.endorsements.for_csv()),
            (entry.country.name, _("Questions asked"), entry.questions.for_csv()),
            (entry.country.name, _("Answers given"), entry.answers.for_csv()),
            (
                entry.country.name,
                _("Participation"),
                str(contribution_label(entry.contributed)),
            ),
        ]
    return Section(
        key="participation",
        title=_("Participation by member country"),
        template="insights/_participation.html",
        context={"countries": countries, "smallest": SMALLEST_SHOWN},
        rows=rows,
    )


def contribution_label(contributed):
    return CONTRIBUTED if contributed else DID_NOT_CONTRIBUTE


CONTRIBUTED = gettext_lazy("Contributed")
DID_NOT_CONTRIBUTE = gettext_lazy("Did not contribute")


def lessons_section(user, network, period):
    """The lessons most applied (endorsed "we applied this") and most discussed in the period."""
    applied = list(
        access.counted_endorsements(user, network)
        .filter(kind=Endorsement.Kind.APPLIED, created_at__gte=period.since)
        .order_by()
        .values("lesson_id", "lesson__title")
        .annotate(number=Count("pk"))
        .order_by("-number", "lesson__title", "lesson_id")[:TOP_LESSONS]
    )
    discussed = list(
        access.counted_comments(user, network)
        .filter(created_at__gte=period.since)
        .order_by()
        .values("lesson_id", "lesson__title")
        .annotate(number=Count("pk"))
        .order_by("-number", "lesson__title", "lesson_id")[:TOP_LESSONS]
    )
    rows = [(row["lesson__title"], _("Times applied"), row["number"]) for row in applied]
    rows += [(row["lesson__title"], _("Comments"), row["number"]) for row in discussed]
    return Section(
        key="lessons",
        title=_("Lessons that travelled"),
        template="insights/_lessons.html",
        context={"applied": applied, "discussed": discussed},
        rows=rows,
    )


class Median(Aggregate):
    """The median of an interval, interpolated between the two middle values (PostgreSQL)."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _answers_by_others():
    """Answers to the question in hand (OuterRef) that make it answered: not hidden, and not
    by its asker (whose own posts add to a question, they do not answer it)."""
    return Answer.objects.filter(question=OuterRef("pk"), is_hidden=False).exclude(
        author=OuterRef("author")
    )


def _time_to_first_answer(user, network, since):
    """(median time from asking to the first answer, questions answered): over the counted
    questions asked since `since` that have an answer; the median is None without one."""
    first = _answers_by_others().order_by("created_at").values("created_at")[:1]
    return (
        access.counted_questions(user, network)
        .filter(created_at__gte=since)
        .annotate(first_answer=Subquery(first))
        .filter(first_answer__isnull=False)
        .order_by()
        .aggregate(
            median=Median(F("first_answer") - F("created_at")),
            answered=Count("pk"),
        )
    )


@dataclass(frozen=True)
class WaitingQuestion:
    title: str
    url: str
    asked: datetime


def questions_section(user, network, period):
    """Questions asked and answers given a month; the median time to a first answer; the open
    questions without one, and those waiting longest (each one the viewer may open)."""
    questions = _per_month(access.counted_questions(user, network), "created_at", period.since)
    answers = _per_month(access.counted_answers(user, network), "created_at", period.since)
    charts = _charts(
        period,
        [
            ("questions", _("Questions asked"), questions),
            ("answers", _("Answers given"), answers),
        ],
    )
    answered = _time_to_first_answer(user, network, period.since)
    median = answered["median"]
    unanswered = (
        access.counted_questions(user, network)
        .filter(state=Question.State.OPEN)
        .filter(~Exists(_answers_by_others()))
    )
    waiting_count = unanswered.order_by().count()
    waiting = [
        WaitingQuestion(title, reverse("questions:detail", args=[pk]), asked)
        for pk, title, asked in unanswered.order_by("created_at", "pk").values_list(
            "pk", "title", "created_at"
        )[:UNANSWERED_LISTED]
    ]
    subject = _("Questions")
    rows = _chart_rows(charts)
    rows += [
        (
            subject,
            _("Median time to first answer, in hours"),
            "" if median is None else round(median.total_seconds() / 3600, 1),
        ),
        (subject, _("Questions asked in the period and answered"), answered["answered"]),
        (subject, _("Open questions without an answer"), waiting_count),
    ]
    rows += [
        (
            question.title,
            _("Waiting for an answer since"),
            timezone.localdate(question.asked).isoformat(),
        )
        for question in waiting
    ]
    return Section(
        key="questions",
        title=_("Questions and answers"),
        template="insights/_questions.html",
        context={
            "charts": charts,
            # In words, in the reader's language: "2 days, 3 hours".
            "median": None if median is None else timesince(period.now - median, period.now),
            "answered": answered["answered"],
            "waiting_count": waiting_count,
            "waiting": waiting,
            "listed": UNANSWERED_LISTED,
        },
        rows=rows,
    )


def invitations_section(user, network, period):
    """Invitations still open, and those expiring soon: for those who manage the members."""
    if not network_access.can_manage_members(user, network):
        return None
    soon = period.now + timedelta(days=EXPIRING_DAYS)
    numbers = (
        network_access.network_invitations(user, network)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=period.now)
        .order_by()
        .aggregate(pending=Count("pk"), expiring=Count("pk", filter=Q(expires_at__lte=soon)))
    )
    title = _("Invitations")
    return Section(
        key="invitations",
        title=title,
        template="insights/_invitations.html",
        context={**numbers, "days": EXPIRING_DAYS},
        rows=[
            (title, _("Waiting for an answer"), numbers["pending"]),
            (
                title,
                _("Expiring in the next %(days)s days") % {"days": EXPIRING_DAYS},
                numbers["expiring"],
            ),
        ],
    )


SECTIONS = [
    activity_section,
    questions_section,
    participation_section,
    lessons_section,
    invitations_section,
]


def network_insights(user, network, *, now=None):
    """The period and the dashboard's sections, for a viewer who may see them
    (networks.access.get_insights_network)."""
    period = Period.ending(now)
    sections = [section(user, network, period) for section in SECTIONS]
    return period, [section for section in sections if section is not None]
