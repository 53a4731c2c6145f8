"""The stored search vector is current after every write, whatever writes it."""

import importlib
import io

import pytest
from django.contrib.admin.sites import site
from django.core.files.base import ContentFile
from django.db import connection

from demo.lessons import DEMO_PDF
from discussion import services as discussion
from discussion.models import Comment
from lessons import services
from lessons.models import Lesson, PolicyArea, Tag, TechnologyArea
from networks.models import Network
from search import engine as search
from search import index as search_index
from search import params as search_params
from search.models import SearchTerm


def stale(lessons=None):
    """Lessons whose stored vector or configuration differs from a fresh computation."""
    lessons = Lesson.objects.all() if lessons is None else lessons
    config = search_index.language_config()
    fresh = lessons.annotate(
        fresh_vector=search_index._weighted(config),
        fresh_config=config,
        fresh_tags=search_index._tag_list(),
    )
    rows = fresh.values_list(
        "pk",
        "search_vector",
        "fresh_vector",
        "search_config",
        "fresh_config",
        "search_tags",
        "fresh_tags",
    )
    return [pk for pk, *values in rows if values[0::2] != values[1::2]]


def found(user, q):
    outcome = search.search_lessons(user, search_params.SearchParams.from_query({"q": q}))
    return [result.lesson.pk for result in outcome.page.object_list]


def test_seed_demo_indexes_every_demo_lesson(demo):
    assert Lesson.objects.exists()
    assert stale() == []
    assert not Lesson.objects.filter(search_vector__isnull=True).exists()


def test_an_edit_is_found_by_its_new_words_and_not_its_old_ones(demo, write_lesson):
    lesson = write_lesson(title="Seaweed farming permits")
    assert found(demo.member, "seaweed") == [lesson.pk]
    area = TechnologyArea.objects.get(slug="cloud")
    services.lesson_update(
        acting_user=demo.member,
        lesson=lesson,
        data={"title": "Kelp farming permits", "technology_area": area},
        tags=["aquaculture"],
        version=lesson.version,
    )
    assert found(demo.member, "seaweed") == []
    assert found(demo.member, "kelp") == [lesson.pk]
    assert found(demo.member, "aquaculture") == [lesson.pk]
    assert lesson.pk in found(demo.member, "cloud")
    assert found(demo.member, "consent -aquaculture").count(lesson.pk) == 0


def test_changing_the_language_changes_the_configuration(demo, write_lesson):
    lesson = write_lesson(title="Permisos de pesca")
    assert Lesson.objects.get(pk=lesson.pk).search_config == "minilateral_english"
    services.lesson_update(
        acting_user=demo.member, lesson=lesson, data={"language": "es"}, tags=[], version=1
    )
    assert Lesson.objects.get(pk=lesson.pk).search_config == "minilateral_spanish"
    assert found(demo.member, "permiso") == [lesson.pk]  # Spanish stemming


def dpi_draft(demo):
    return services.lesson_create(
        acting_user=demo.outsider,  # Priya Sharma, of the DPI Peer Network (which reviews)
        network=Network.objects.get(slug="dpi-peer-network"),
        data={
            "title": "Grievance redress for payments",
            "summary": "What a grievance portal needs.",
            "worked": "Answering within a day.",
            "did_not_work": "A form nobody could find.",
            "language": "en",
        },
        tags=["grievance"],
    )


def submitted(demo):
    return services.lesson_publish(acting_user=demo.outsider, lesson=dpi_draft(demo))


def published(demo):
    return services.lesson_review_approve(acting_user=demo.dpi_convenor, lesson=submitted(demo))


# Every lesson service, as called on a fresh lesson of the DPI Peer Network.
WRITES = {
    "lesson_create": dpi_draft,
    "lesson_update": lambda demo: services.lesson_update(
        acting_user=demo.outsider,
        lesson=(lesson := dpi_draft(demo)),
        data={"title": "Grievance redress, revised", "language": "pt"},
        tags=["grievance", "payments"],
        version=lesson.version,
    ),
    "lesson_publish": submitted,
    "lesson_review_approve": published,
    "lesson_review_return": lambda demo: services.lesson_review_return(
        acting_user=demo.dpi_convenor, lesson=submitted(demo), message="Add figures."
    ),
    "lesson_withdraw": lambda demo: services.lesson_withdraw(
        acting_user=demo.outsider, lesson=published(demo)
    ),
    "lesson_restore": lambda demo: services.lesson_restore(
        acting_user=demo.outsider,
        lesson=services.lesson_withdraw(acting_user=demo.outsider, lesson=published(demo)),
    ),
    "lesson_change_audience": lambda demo: services.lesson_change_audience(
        acting_user=demo.outsider, lesson=published(demo), audience="all_networks"
    ),
    "audience_request_decide": lambda demo: services.audience_request_decide(
        acting_user=demo.dpi_convenor,
        request=services.lesson_change_audience(
            acting_user=demo.outsider, lesson=published(demo), audience="all_networks"
        ),
        approve=True,
    ),
    "endorsement_toggle": lambda demo: services.endorsement_toggle(
        acting_user=demo.dpi_convenor, lesson=published(demo), kind="useful"
    ),
    "attachment_add": lambda demo: services.attachment_add(
        acting_user=demo.outsider,
        lesson=published(demo),
        upload=ContentFile(DEMO_PDF, name="a.pdf"),
    ),
    "attachment_remove": lambda demo: services.attachment_remove(
        acting_user=demo.outsider,
        attachment=services.attachment_add(
            acting_user=demo.outsider,
            lesson=published(demo),
            upload=ContentFile(DEMO_PDF, name="a.pdf"),
        ),
    ),
}
# Services that write no lesson's text: purging deletes the lesson and its vector with it.
NOT_WRITING_TEXT = {"purge_withdrawn_lesson", "purge_withdrawn_lessons"}


@pytest.mark.parametrize("service", list(WRITES))
def test_every_lesson_service_leaves_the_vector_current(demo, service):
    WRITES[service](demo)
    assert stale() == []
    lesson = Lesson.objects.filter(title__startswith="Grievance redress").get()
    assert lesson.search_config == search_index.config_for_language(lesson.language)
    if lesson.state == Lesson.State.PUBLISHED:
        assert found(demo.outsider, "grievance") == [lesson.pk]


def test_every_lesson_service_is_in_the_list_of_writes():
    names = {
        name
        for name in dir(services)
        if name.startswith(
            ("lesson_", "audience_request_", "endorsement_", "attachment_", "purge_")
        )
        and callable(getattr(services, name))
        and name != "attachment_type"
    }
    assert names - set(WRITES) - NOT_WRITING_TEXT == set()


def test_renaming_a_tag_or_an_area_in_the_admin_reindexes_its_lessons(demo, rf):
    lesson = Lesson.objects.get(title__startswith="Digital identity wallet")
    changed = type("Form", (), {"changed_data": ["name"]})()
    tag = Tag.objects.get(name="wallet")
    tag.name = "purse"
    site._registry[Tag].save_model(rf.post("/"), tag, changed, change=True)
    area = PolicyArea.objects.get(slug="public-services")
    area.name = "Civic counters"
    site._registry[PolicyArea].save_model(rf.post("/"), area, changed, change=True)
    assert stale() == []
    assert lesson.pk in found(demo.member, "purse")
    assert lesson.pk in found(demo.member, "civic counters")


def test_the_migrations_backfill_indexes_as_the_services_do(demo):
    backfill = importlib.import_module("lessons.migrations.0004_search").BACKFILL
    expected = dict(Lesson.objects.values_list("pk", "search_vector"))
    SearchTerm.objects.all().delete()  # (it keeps the words of earlier versions too)
    search_index.reindex_lessons()
    expected_words = set(SearchTerm.objects.values_list("word", flat=True))
    Lesson.objects.update(search_vector=None, search_config="")
    SearchTerm.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(backfill)
    assert dict(Lesson.objects.values_list("pk", "search_vector")) == expected
    assert stale() == []
    assert set(SearchTerm.objects.values_list("word", flat=True)) == expected_words


def test_search_reindex_command_indexes_lessons_loaded_around_the_services(demo):
    from django.core.management import call_command

    Lesson.objects.update(search_vector=None, search_config="", search_tags=[])
    call_command("search_reindex", "--batch", "4", stdout=io.StringIO())
    assert stale() == []
    assert found(demo.member, "wallet")


def test_comments_are_indexed_in_their_lessons_configuration_and_follow_its_language(
    demo, write_lesson
):
    lesson = write_lesson(title="Permisos de pesca")
    posted = discussion.comment_create(
        acting_user=demo.moderator, lesson=lesson, body="Los **permisos** llegaron tarde."
    ).comment
    assert Comment.objects.get(pk=posted.pk).search_config == "minilateral_english"
    services.lesson_update(
        acting_user=demo.member, lesson=lesson, data={"language": "es"}, tags=[], version=1
    )
    comment = Comment.objects.get(pk=posted.pk)
    assert comment.search_config == "minilateral_spanish"
    discussion.comment_edit(acting_user=demo.moderator, comment=comment, body="Ningún permiso.")
    outcome = search.search_lessons(
        demo.member, search_params.SearchParams.from_query({"q": "permisos", "in": "comments"})
    )
    assert [result.comment.pk for result in outcome.page.object_list] == [posted.pk]
    assert "<mark>permiso</mark>" in outcome.page.object_list[0].snippet_html.lower()


def test_the_comment_backfill_indexes_as_the_services_do(demo):
    backfill = importlib.import_module("lessons.migrations.0005_comment_search").BACKFILL
    search_index.reindex_comments()
    expected = dict(Comment.objects.values_list("pk", "search_vector"))
    assert any(expected.values())
    Comment.objects.update(search_vector=None, search_config="")
    with connection.cursor() as cursor:
        cursor.execute(backfill)
    assert dict(Comment.objects.values_list("pk", "search_vector")) == expected


def test_search_reindex_command_indexes_comments_too(demo):
    from django.core.management import call_command

    Comment.objects.update(search_vector=None, search_config="")
    call_command("search_reindex", "--batch", "4", stdout=io.StringIO())
    assert not Comment.objects.filter(search_vector__isnull=True, deleted_at__isnull=True).exists()
