"""Every audit event type has a label and a sentence, in every language the site speaks, and
every action code the code writes is one of them.

The source sweep reads every app with `ast` and follows each `audit_record(action=...)` back to
its literal codes: written there, assigned to a local name (`decision = "comment.hide" if hidden
else "comment.restore"`), or handed in through a parameter by the function's callers in the same
module (`_change_state(..., "question.close")`, the admin's `self._audit(request, "admin.add",
...)`). A call it cannot follow fails the test, so a new way of writing an event is seen."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from networks.audit_types import EVENT_TYPES, sentence
from networks.models import AuditEvent
from networks.services import audit_record
from tests.layers import LAYERS
from tests.test_translatable import _name

ROOT = Path(settings.BASE_DIR)
APPS = [app for layer in LAYERS for app in layer]


def _texts(node):
    return {
        c.value for c in ast.walk(node) if isinstance(c, ast.Constant) and isinstance(c.value, str)
    }


def _assigned(function):
    names = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names.setdefault(target.id, set()).update(_texts(node.value))
    return names


def _passed_in(tree, function, parameter):
    """The literal codes callers in the module hand to `function`'s `parameter`."""
    params = [a.arg for a in function.args.args]
    index = params.index(parameter)
    codes, found = set(), False
    for caller in ast.walk(tree):
        if not isinstance(caller, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        assigned = _assigned(caller)
        for call in ast.walk(caller):
            if not (isinstance(call, ast.Call) and _name(call.func) == function.name):
                continue
            # A method called on self or cls is handed one argument fewer.
            position = index - 1 if params[:1] in (["self"], ["cls"]) else index
            value = next((k.value for k in call.keywords if k.arg == parameter), None)
            if value is None and position < len(call.args):
                value = call.args[position]
            if value is None:
                continue
            found = True
            if isinstance(value, ast.Name):
                codes |= assigned.get(value.id, set())
            else:
                codes |= _texts(value)
    return codes if found else None


def written_audit_actions(source):
    """(codes, unfollowed): the action codes a module writes, and the calls it could not follow."""
    tree = ast.parse(source)
    codes, unfollowed = set(), []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        assigned = _assigned(function)
        params = {a.arg for a in function.args.args + function.args.kwonlyargs}
        for call in ast.walk(function):
            if not (isinstance(call, ast.Call) and _name(call.func) == "audit_record"):
                continue
            value = next((k.value for k in call.keywords if k.arg == "action"), None)
            if value is None:
                unfollowed.append(f"{function.name}:{call.lineno}")
            elif isinstance(value, ast.Name) and value.id in assigned:
                codes |= assigned[value.id]
            elif isinstance(value, ast.Name) and value.id in params:
                passed = _passed_in(tree, function, value.id)
                if passed is None:
                    unfollowed.append(f"{function.name}:{call.lineno}")
                else:
                    codes |= passed
            elif isinstance(value, ast.Name):
                unfollowed.append(f"{function.name}:{call.lineno}")
            elif _texts(value):
                codes |= _texts(value)
            else:
                unfollowed.append(f"{function.name}:{call.lineno}")
    return codes, unfollowed


def app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_every_action_code_written_in_the_code_is_a_type_of_event():
    codes, unfollowed = set(), []
    for path in app_modules():
        found, missed = written_audit_actions(path.read_text(encoding="utf-8"))
        codes |= found
        unfollowed += [f"{path.relative_to(ROOT)}:{where}" for where in missed]
    # The sweep sees literals, local names and parameters, in the lower and the higher apps.
    assert {"lesson.flag", "comment.hide", "invitation.create"} <= codes
    assert {"question.close", "admin.add", "question.ask"} <= codes
    assert not unfollowed, f"audit_record calls whose action the sweep cannot follow: {unfollowed}"
    unnamed = sorted(codes - set(EVENT_TYPES))
    assert not unnamed, f"action codes without a type in networks.audit_types: {unnamed}"


def test_the_sweep_follows_a_code_through_a_parameter():
    source = (
        "def _change(user, thing, action):\n    audit_record(actor=user, action=action)\n"
        "def close(user, thing):\n    return _change(user, thing, 'thing.close')\n"
    )
    assert written_audit_actions(source) == ({"thing.close"}, [])
    assert written_audit_actions("def f(a):\n    audit_record(action=a.code)\n")[1] == ["f:2"]


def test_the_writer_refuses_a_code_that_is_not_a_type_of_event(demo):
    with pytest.raises(ValueError, match="not a type of audit event"):
        audit_record(actor=demo.convenor, action="brief.exported", network=demo.dpi)
    assert not AuditEvent.objects.filter(action="brief.exported").exists()


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_every_type_has_a_label_and_a_sentence_in_each_language(language):
    with translation.override(language):
        for code, event_type in EVENT_TYPES.items():
            label, words = str(event_type.label), str(event_type.sentence)
            assert label
            assert label != code
            # Who acted is named, unless no one did (the flags hid it).
            assert "%(actor)s" in words or code.endswith("hide_by_flags")
            assert set(re.findall(r"%\((\w+)\)s", words)) <= {"actor", "target"}
            if language != "en":
                assert label != event_type.label._args[0], (code, "label not translated")
                assert words != event_type.sentence._args[0], (code, "sentence not translated")


def test_a_sentence_names_who_acted_and_what_about(demo):
    event = audit_record(actor=demo.convenor, action="lesson.approve", network=demo.dpi)
    event.target_label = "Digital identity in Estonia"
    assert sentence(event) == (
        f"{demo.convenor.display_name} approved and published the lesson "
        "“Digital identity in Estonia”."
    )
    event.actor, event.actor_id = None, None
    event.action = "lesson.hide_by_flags"
    assert sentence(event).startswith("The lesson “Digital identity in Estonia” was hidden")
