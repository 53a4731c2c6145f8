"""seed_scale builds what the benchmark relies on (demo/scale/), the same way every time."""

import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from demo import scale
from discussion import access as discussion_access
from discussion.models import Comment
from lessons import access as lesson_access
from lessons.models import Audience, Lesson
from networks import access as network_access
from networks.middleware import has_second_factor
from questions import access as question_access

SIZES = {"lessons": 60, "networks": 4, "countries": 20, "officials": 60}


def seed(**options):
    with open(os.devnull, "w") as quiet:
        call_command("seed_scale", **SIZES, force=True, no_vacuum=True, stdout=quiet, **options)


def world():
    """What identifies the world built: every lesson's title, author and comment count."""
    return [
        (lesson.title, lesson.author.email, lesson.comments.count())
        for lesson in Lesson.objects.select_related("author").order_by("pk")
    ]


@pytest.mark.django_db
def test_the_benchmark_finds_its_officials_and_discussions(demo):
    seed()
    officials = list(scale.benchmark_officials())
    discussions = scale.discussion_lessons()
    assert len(officials) == scale.BENCHMARK_OFFICIAL_COUNT
    assert sorted(discussions) == sorted(scale.DISCUSSION_SIZES)
    for size, lesson in discussions.items():
        assert Comment.objects.filter(lesson=lesson).count() == size
        assert lesson.state == Lesson.State.PUBLISHED
        for official in officials:
            assert lesson_access.readable_lessons(official).filter(pk=lesson.pk).exists()
            assert discussion_access.visible_comments(official, lesson).count() == size
    for official in officials:
        assert official.check_password("minilateral-demo-2026")
        assert not network_access.requires_mfa(official)
        assert not has_second_factor(official)
    published = Lesson.objects.filter(state=Lesson.State.PUBLISHED)
    assert published.filter(audience=Audience.PUBLIC).exists()
    assert not Lesson.objects.filter(search_vector__isnull=True).exists()
    assert Comment.objects.filter(parent__isnull=False).exists()


@pytest.mark.django_db
def test_the_benchmark_finds_its_questions_with_their_answers(demo):
    seed()
    questions = scale.answered_questions()
    assert sorted(questions) == sorted(scale.QUESTION_SIZES)
    for size, question in questions.items():
        assert question.answers.count() == size
        assert question.answers.filter(parent__isnull=False).exists()
        assert question.search_vector is not None
        for official in scale.benchmark_officials():
            assert question_access.searchable_questions(official).filter(pk=question.pk).exists()
            assert question_access.visible_answers(official, question).count() == size


@pytest.mark.django_db
def test_the_same_seed_builds_the_same_world_and_a_second_run_is_refused(demo):
    with transaction.atomic():
        seed()
        first = world()
        with pytest.raises(CommandError, match="already run"):
            seed()
        transaction.set_rollback(True)
    seed()
    assert world() == first


@pytest.mark.django_db
def test_it_refuses_with_debug_off_unless_forced(demo, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_scale", lessons=20)
