import pytest

from discussion import services as discussion
from lessons import access as lesson_access
from lessons import services
from lessons.models import Lesson
from networks.models import Attribution, Country, Membership, User


@pytest.fixture
def write_lesson(demo):
    """Write and publish a lesson in Digital Nations (or a group), as the policy allows."""

    def write(
        *,
        author=None,
        audience=None,
        attribution=Attribution.CHATHAM,
        group=None,
        publish=True,
        title="Consent screens people skipped",
        **fields,
    ):
        author = author or demo.member
        network = group.network if group else demo.digital_nations
        data = {
            "title": title,
            "summary": "What we changed after people clicked through consent.",
            "worked": "Plain-language consent, tested with users.",
            "did_not_work": "One long consent screen for every data use.",
            "attribution": attribution,
            "stage": Lesson.Stage.PILOT,
            "outcome": Lesson.Outcome.MIXED,
            "language": "en",
            **fields,
        }
        lesson = services.lesson_create(
            acting_user=author, network=network, working_group=group, data=data, tags=["consent"]
        )
        if publish:
            lesson = services.lesson_publish(acting_user=author, lesson=lesson)
        if audience and audience != lesson.audience:
            request = services.lesson_change_audience(
                acting_user=author, lesson=lesson, audience=audience
            )
            if request is not None and request.state == "pending":
                moderator = demo.moderator if author != demo.moderator else demo.convenor
                services.audience_request_decide(
                    acting_user=moderator, request=request, approve=True
                )
        lesson.refresh_from_db()
        return lesson

    return write


@pytest.fixture
def comment(demo, write_lesson):
    """Min-jun's comment on Lucía's lesson, in Digital Nations."""
    lesson = write_lesson(author=demo.member)
    return discussion.comment_create(
        acting_user=demo.group_member, lesson=lesson, body="Our supplier **Acme** overcharged."
    ).comment


@pytest.fixture
def twin(demo):
    """Mette sees the platform exactly as Lucía (demo.member) does: remembered lists, searches
    and lesson pages serve both from one memory."""
    danish = User.objects.create_user(
        "mette.jensen@digst.dk",
        "x" * 12,
        full_name="Mette Jensen",
        country=Country.objects.get(code="DK"),
    )
    Membership.objects.create(user=danish, network=demo.digital_nations)
    assert lesson_access.search_view_key(danish) == lesson_access.search_view_key(demo.member)
    return danish
