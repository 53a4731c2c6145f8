"""Imports run one way, down the layers of tests/layers.py; and the checker finds what it should."""

from pathlib import Path

from tests.layers import find_violations

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_imports_run_one_way():
    violations = find_violations(REPO_ROOT)
    assert not violations, "Imports that go up a layer or across to a sibling:\n" + "\n".join(
        str(v) for v in violations
    )


def tree(root, files):
    """Write a fake project: {"lessons/models.py": "source"}; every folder becomes a package."""
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for folder in path.relative_to(root).parents:
            if folder != Path():
                (root / folder / "__init__.py").touch()
        path.write_text(source)
    return root


def test_an_import_up_a_layer_is_found(tmp_path):
    source = "import os\n\n\ndef share():\n    from lessons import notifications\n"
    tree(tmp_path, {"networks/services.py": source})
    [violation] = find_violations(tmp_path)
    assert (violation.importer, violation.imported, violation.line) == (
        "networks.services",
        "lessons",
        5,
    )
    assert str(violation) == (
        "networks/services.py:5 networks.services imports lessons (lessons is above networks)"
    )


def test_a_top_level_import_up_a_layer_is_found(tmp_path):
    tree(tmp_path, {"lessons/models.py": "import discussion.models\n", "discussion/models.py": ""})
    [violation] = find_violations(tmp_path)
    assert (violation.importer, violation.imported) == ("lessons.models", "discussion.models")


def test_relative_imports_are_resolved_within_the_package(tmp_path):
    tree(
        tmp_path,
        {
            "lessons/views.py": "from . import forms\nfrom .models import Lesson\n",
            "lessons/sub/x.py": "from ..models import Lesson\n",
        },
    )
    assert find_violations(tmp_path) == []


def test_an_import_down_is_allowed(tmp_path):
    source = "import lessons.models\nfrom networks.access import can_see\n"
    tree(tmp_path, {"discussion/x.py": source, "lessons/models.py": "", "networks/access.py": ""})
    assert find_violations(tmp_path) == []


def test_siblings_in_one_layer_may_not_import_each_other(tmp_path):
    tree(
        tmp_path,
        {
            "questions/views.py": "from insights.models import Insight\n",
            "insights/models.py": "import importlib\nimportlib.import_module('questions.models')\n",
        },
    )
    # Layers of the test's own: the project's LAYERS may have no siblings at a given time.
    layers = [("networks",), ("questions", "insights")]
    found = {(v.importer, v.imported, v.reason) for v in find_violations(tmp_path, layers)}
    assert found == {
        ("questions.views", "insights.models", "insights and questions are siblings in one layer"),
        ("insights.models", "questions.models", "questions and insights are siblings in one layer"),
    }


def test_insights_read_questions_and_questions_never_read_insights(tmp_path):
    tree(
        tmp_path,
        {
            "insights/figures.py": "from questions import access\n",
            "questions/views.py": "from insights.figures import SECTIONS\n",
            "questions/access.py": "",
        },
    )
    [violation] = find_violations(tmp_path)
    assert (violation.importer, violation.reason) == (
        "questions.views",
        "insights is above questions",
    )


def test_migrations_and_the_composition_root_are_exempt(tmp_path):
    tree(
        tmp_path,
        {
            "lessons/migrations/0002_move.py": "import discussion.utils\n",
            "minilateral/urls.py": "from django.urls import include\nimport demo.urls\n",
            "minilateral/settings.py": "import notifications\n",
        },
    )
    assert find_violations(tmp_path) == []


def test_a_model_fetched_by_app_label_is_an_import(tmp_path):
    source = (
        "from django.apps import apps\n\n\ndef count():\n"
        '    return apps.get_model("discussion", "Comment")\n'
        'Thread = apps.get_model("discussion.Thread")\n'
        'Lesson = apps.get_model("lessons", "Lesson")\n'
    )
    tree(tmp_path, {"lessons/stats.py": source})
    found = [(v.imported, v.line) for v in find_violations(tmp_path)]
    assert found == [("discussion", 5), ("discussion", 6)]
