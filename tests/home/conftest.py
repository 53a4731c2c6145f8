"""The fixtures of the lesson and question tests, for the home's."""

from tests.lessons.conftest import write_lesson  # noqa: F401
from tests.questions.conftest import ask, group  # noqa: F401
