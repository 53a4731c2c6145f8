"""Every page of the URL sweep with real objects of the demo world in its arguments, for tests
that look at what every page shows (tests/test_visible_text.py, tests/test_content_language.py).
The world and the pages are those of tests/test_translations.py, with what they lack added."""

import pytest

from tests.test_translations import body_of, export_brief, pages
from tests.test_translations import world as translations_world

__all__ = ["body_of", "pages", "swept_world", "translations_world"]


@pytest.fixture
def swept_world(translations_world):
    """The translations test's world, with a brief to download and an edit in the lesson's
    history (the history page names its editor)."""
    from lessons import services as lessons

    world = translations_world
    lesson = world.lesson
    lessons.lesson_update(
        acting_user=lesson.author,
        lesson=lesson,
        data={"summary": lesson.summary + " Edited."},
        tags=list(lesson.tags.values_list("name", flat=True)),
        version=lesson.version,
    )
    world.brief = export_brief(world)
    return world
