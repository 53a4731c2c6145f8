"""Every string a user sees is marked for translation.

Two sweeps. The template sweep reads every project template, takes out what is marked
({% translate %}, {% blocktranslate %}...{% endblocktranslate %}), Django tags, variables and
comments, the content of <script> and <style>, and fails on any text left that holds a letter,
and on literal text in the attributes people read or hear (title, aria-label, placeholder, alt,
the value of a submit button). A variable's literal fallback (`|default:"..."`, `|yesno:"..."`,
`{% firstof ... "..." %}`) counts as text where it stands, and a literal handed to an included
template (`{% include ... with heading="..." %}`) counts too.

The Python sweep reads every module of the apps with `ast` and fails on a literal string where
the user will read it: messages, validation errors and refusals, form and model labels, help
texts, verbose names, choice labels, admin descriptions, mail subjects, response bodies. A
string counts as marked when it is the argument of a gettext function (`_`, `gettext`,
`gettext_lazy`, `pgettext`, `ngettext`...), including `_("...") % {...}`.

ALLOWED holds what is rightly left untranslated, each with its reason.
"""

import ast
import html.parser
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ["minilateral", "networks", "lessons", "discussion", "search", "moderation", "notifications"]

# (where, text) -> why it is not translated. `where` is a template path relative to a
# templates folder, or a module path relative to the project.
ALLOWED = {
    ("base.html", "· Minilateral"): "the product's name after the page title; never translated",
    ("base.html", "Minilateral"): "the product's name in the site header; never translated",
    ("emails/base.html", "Minilateral"): "the product's name in the mail's title and header",
}

# ---------------------------------------------------------------------------------------------
# Templates

TEMPLATE_DIRS = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]] + [
    ROOT / app / "templates" for app in APPS if (ROOT / app / "templates").is_dir()
]

COMMENT_BLOCK = re.compile(r"{%\s*comment\b.*?%}.*?{%\s*endcomment\s*%}", re.S)
COMMENT = re.compile(r"{#.*?#}", re.S)
MARKED_BLOCK = re.compile(
    r"{%\s*blocktrans(?:late)?\b.*?%}.*?{%\s*endblocktrans(?:late)?\s*%}", re.S
)
TAG_OR_VARIABLE = re.compile(r"{%.*?%}|{{.*?}}", re.S)
TAG_AFTER_BRACKET = re.compile(r"<(/?){%.*?%}", re.S)
QUOTED = r"(?:\"([^\"]*)\"|'([^']*)')"
# Literal fallbacks a variable may print instead of its value (never `_("...")`, which is marked).
FALLBACK = re.compile(r"\|\s*(?:default|default_if_none|yesno)\s*:\s*" + QUOTED)
FIRSTOF_LITERAL = re.compile(r"(?<![\w(])" + QUOTED)
# Literal values handed to an included template, or bound with {% with %}.
ASSIGNED_LITERAL = re.compile(r"\b\w+\s*=\s*" + QUOTED)
LETTER = re.compile(r"[^\W\d_]")
READ_ATTRIBUTES = {"title", "aria-label", "aria-description", "placeholder", "alt", "label"}
BUTTON_TYPES = {"submit", "button", "reset"}


def _literal(match):
    return match.group(1) if match.group(1) is not None else match.group(2)


def _looks_like_words(text):
    """A literal handed to a template that reads as words, not a path, name or CSS class."""
    return bool(LETTER.search(text)) and (" " in text.strip() or re.match(r"[A-Z][a-z]", text))


class _TextFinder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden_depth += 1
        kind = (dict(attrs).get("type") or "").lower()
        for name, value in attrs:
            read = name in READ_ATTRIBUTES or (
                name == "value" and tag == "input" and kind in BUTTON_TYPES
            )
            if read and value and LETTER.search(value):
                self.found.append(f'{name}="{value.strip()}"')

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data):
        if not self.hidden_depth and LETTER.search(data):
            self.found.append(" ".join(data.split()))


def _replace_tag(match):
    """A tag or variable leaves a space and the literal text it may print."""
    code = match.group(0)
    words = code[2:-2].split()
    if code.startswith("{{"):
        printed = [_literal(m) for m in FALLBACK.finditer(code)]
    elif words and words[0] == "firstof":
        printed = [_literal(m) for m in FIRSTOF_LITERAL.finditer(code)]
    elif words and words[0] in ("include", "with"):
        handed = [_literal(m) for m in ASSIGNED_LITERAL.finditer(code)]
        printed = [text for text in handed if _looks_like_words(text)]
    else:
        printed = []
    return " ".join(["", *printed, ""])


def unmarked_template_text(source):
    """The text of a template a reader would meet untranslated."""
    for pattern in (COMMENT_BLOCK, COMMENT, MARKED_BLOCK):
        source = pattern.sub("", source)
    # A tag choosing an element's name (`<{% if href %}a{% else %}button{% endif %}`) leaves
    # the first name, so that the element still parses as one.
    source = TAG_AFTER_BRACKET.sub(r"<\1", source)
    finder = _TextFinder()
    finder.feed(TAG_OR_VARIABLE.sub(_replace_tag, source))
    finder.close()
    return finder.found


def project_templates():
    for folder in TEMPLATE_DIRS:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                yield folder, path


def test_the_sweep_finds_the_templates():
    names = {path.relative_to(folder).as_posix() for folder, path in project_templates()}
    assert {"base.html", "emails/digest.txt", "lessons/lesson_detail.html"} <= names


def test_every_template_text_is_marked_for_translation():
    unmarked = []
    for folder, path in project_templates():
        name = path.relative_to(folder).as_posix()
        for text in unmarked_template_text(path.read_text(encoding="utf-8")):
            if (name, text) not in ALLOWED:
                unmarked.append(f"{name}: {text!r}")
    assert not unmarked, "Text not marked for translation:\n" + "\n".join(unmarked)


# ---------------------------------------------------------------------------------------------
# Python

MARKERS = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "pgettext",
    "pgettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
# Where the first argument (or the `message` keyword) is read by the user.
MESSAGE_CALLS = {"ValidationError", "ActionRefused", "HttpResponse", "HttpResponseBadRequest"}
MESSAGE_LEVELS = {"debug", "info", "success", "warning", "error"}
READ_KEYWORDS = {
    "label",
    "help_text",
    "verbose_name",
    "verbose_name_plural",
    "empty_label",
    "empty_value_display",
    "description",
    "subject",
    "message",
    "title",
}
READ_CLASS_ATTRIBUTES = {
    "verbose_name",
    "verbose_name_plural",
    "empty_value_display",
    "site_header",
    "site_title",
    "index_title",
    "title",
    "description",
}
READ_WIDGET_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
CHOICES_BASES = {"TextChoices", "IntegerChoices", "Choices"}


def _name(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _literal_text(node):
    """The text of an unmarked literal string expression, or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value
            for part in node.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        return _literal_text(node.left) or _literal_text(node.right)
    is_call = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    if is_call and node.func.attr == "format":
        return _literal_text(node.func.value)
    return None


def _words(text):
    """What a reader would read of a literal: letters left once markup and fields are out."""
    text = re.sub(r"<[^>]*>|{[^}]*}|%\(\w+\)\w|%\w", "", text or "")
    return text if LETTER.search(text) else None


class _Sweep(ast.NodeVisitor):
    def __init__(self):
        self.found = []

    def check(self, node):
        text = _words(_literal_text(node))
        if text is not None:
            self.found.append((node.lineno, text))

    def visit_Call(self, node):
        name = _name(node.func)
        receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
        if name in MARKERS:
            return  # what is inside is marked; nothing under it is read untranslated
        argument = None
        if name in MESSAGE_CALLS and node.args:
            argument = node.args[0]
        elif name in MESSAGE_LEVELS and _name(receiver) == "messages" and len(node.args) > 1:
            argument = node.args[1]
        elif name == "add_message" and len(node.args) > 2:
            argument = node.args[2]
        elif name == "add_error" and len(node.args) > 1:
            argument = node.args[1]
        elif name in ("send_mail", "EmailMessage", "EmailMultiAlternatives") and node.args:
            argument = node.args[0]
        if argument is not None:
            self.check(argument)
        for keyword in node.keywords:
            if keyword.arg in READ_KEYWORDS:
                self.check(keyword.value)
            elif keyword.arg == "choices":
                self.check_choices(keyword.value)
            elif keyword.arg == "error_messages" and isinstance(keyword.value, ast.Dict):
                for value in keyword.value.values:
                    self.check(value)
            elif keyword.arg == "attrs" and isinstance(keyword.value, ast.Dict):
                self.check_widget_attributes(keyword.value)
        self.generic_visit(node)

    def check_widget_attributes(self, mapping):
        for key, value in zip(mapping.keys, mapping.values, strict=True):
            if isinstance(key, ast.Constant) and key.value in READ_WIDGET_ATTRIBUTES:
                self.check(value)

    def check_choices(self, node):
        if isinstance(node, (ast.List, ast.Tuple)):
            for pair in node.elts:
                if isinstance(pair, (ast.List, ast.Tuple)) and len(pair.elts) == 2:
                    if isinstance(pair.elts[1], (ast.List, ast.Tuple)):
                        self.check_choices(pair.elts[1])  # a named group of choices
                    else:
                        self.check(pair.elts[1])

    def visit_ClassDef(self, node):
        is_choices = any(_name(base) in CHOICES_BASES for base in node.bases)
        for statement in node.body:
            if not isinstance(statement, ast.Assign):
                continue
            targets = {_name(target) for target in statement.targets}
            if is_choices and isinstance(statement.value, ast.Tuple) and statement.value.elts:
                self.check(statement.value.elts[-1])  # MEMBER = "value", "Label"
            elif targets & READ_CLASS_ATTRIBUTES:
                self.check(statement.value)
            elif any(target and target.lower().endswith("choices") for target in targets):
                self.check_choices(statement.value)
        self.generic_visit(node)

    def visit_FunctionDef(self, node):
        # What an object calls itself shows in the admin, in choices and in messages.
        if node.name == "__str__":
            for statement in ast.walk(node):
                if isinstance(statement, ast.Return) and statement.value is not None:
                    self.check(statement.value)
        self.generic_visit(node)

    def visit_Assign(self, node):
        # function.short_description = "..." (the admin's column and action labels)
        if any(_name(target) == "short_description" for target in node.targets):
            self.check(node.value)
        elif any(
            isinstance(target, ast.Name) and target.id.endswith("CHOICES")
            for target in node.targets
        ):
            self.check_choices(node.value)
        self.generic_visit(node)


def unmarked_python_text(source):
    sweep = _Sweep()
    sweep.visit(ast.parse(source))
    return sweep.found


def app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_the_sweep_finds_the_app_modules():
    paths = {path.relative_to(ROOT).as_posix() for path in app_modules()}
    assert {"networks/models.py", "lessons/forms.py", "moderation/views.py"} <= paths


def test_every_python_string_shown_to_users_is_marked_for_translation():
    unmarked = []
    for path in app_modules():
        where = path.relative_to(ROOT).as_posix()
        for line, text in unmarked_python_text(path.read_text(encoding="utf-8")):
            if (where, text) not in ALLOWED:
                unmarked.append(f"{where}:{line}: {text!r}")
    assert not unmarked, "Strings not marked for translation:\n" + "\n".join(unmarked)


def test_every_allowance_is_still_needed():
    """An allowance for text that is gone would let the same text come back unnoticed."""
    found = set()
    for folder, path in project_templates():
        name = path.relative_to(folder).as_posix()
        found |= {(name, text) for text in unmarked_template_text(path.read_text("utf-8"))}
    for path in app_modules():
        where = path.relative_to(ROOT).as_posix()
        found |= {(where, text) for _, text in unmarked_python_text(path.read_text("utf-8"))}
    assert set(ALLOWED) <= found, f"allowances no longer needed: {set(ALLOWED) - found}"


# ---------------------------------------------------------------------------------------------
# The sweeps themselves: an unmarked string is found, a marked one is not.


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("<p>Save your lesson</p>", ["Save your lesson"]),
        ('<p>{% translate "Save" %} now</p>', ["now"]),
        ('<a href="/x" title="Close the panel">×</a>', ['title="Close the panel"']),
        ('<button aria-label="Close">×</button>', ['aria-label="Close"']),
        ('<input type="search" placeholder="Search lessons">', ['placeholder="Search lessons"']),
        ('<img src="/a.png" alt="A chart">', ['alt="A chart"']),
        ('<input type="submit" value="Send">', ['value="Send"']),
        ('<p>{{ lesson.stage|default:"Unknown" }}</p>', ["Unknown"]),
        ("<p>{% firstof lesson.year 'Some time ago' %}</p>", ["Some time ago"]),
        ('{% include "x.html" with heading="Latest lessons" %}', ["Latest lessons"]),
        ("Open it in Minilateral:\n{{ url }}", ["Open it in Minilateral:"]),
        ("{% if a %}Yes{% else %}No{% endif %}", ["Yes No"]),
    ],
)
def test_template_sweep_finds_unmarked_text(template, expected):
    assert unmarked_template_text(template) == expected


@pytest.mark.parametrize(
    "template",
    [
        '{% load i18n %}<p>{% translate "Save your lesson" %}</p>',
        "<p>{% blocktranslate with n=name %}Hello {{ n }}{% endblocktranslate %}</p>",
        "<p>{% blocktranslate count counter=n %}One{% plural %}Many{% endblocktranslate %}</p>",
        "<a title=\"{% translate 'Close' %}\">×</a>",
        '<input type="submit" value="{% translate \'Send\' %}">',
        '<input type="hidden" name="action" value="save">',
        '<button type="submit" name="action" value="publish">{% translate "Publish" %}</button>',
        "<p>{{ lesson.title }} · {{ count }} — 2026</p>",
        '<p>{{ lesson.stage|default:"—" }} {{ x|default:_("Unknown") }}</p>',
        "<p class=\"{{ message.tags|default:'info' }}\">{{ message }}</p>",
        '{% url "moderation:act" slug pk featured|yesno:"unfeature,feature" %}',
        '{% include "lessons/_card.html" with heading_level="4" tone="button--small" %}',
        "{# A note for developers #}{% comment %}Also for developers{% endcomment %}",
        "<script>const label = 'Not for readers';</script><style>a::after{content:'x'}</style>",
    ],
)
def test_template_sweep_passes_marked_or_wordless_text(template):
    assert unmarked_template_text(template) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('messages.success(request, "Lesson saved.")', "Lesson saved."),
        ('messages.error(request, f"No lesson {pk}.")', "No lesson ."),
        ('raise ValidationError("Too long.")', "Too long."),
        ('raise ActionRefused("Not now.")', "Not now."),
        ('self.add_error("title", "Give it a title.")', "Give it a title."),
        ('title = forms.CharField(label="Title")', "Title"),
        ('body = forms.CharField(help_text="Markdown works.")', "Markdown works."),
        ('name = models.CharField(verbose_name="name")', "name"),
        ("class Meta:\n    verbose_name_plural = 'countries'", "countries"),
        ('class Stage(models.TextChoices):\n    PILOT = "pilot", "Pilot"', "Pilot"),
        ('kind = forms.ChoiceField(choices=[("a", "Apples")])', "Apples"),
        ('ORDER_CHOICES = [("new", "Newest first")]', "Newest first"),
        ('send(subject="Your invitation", to=[email])', "Your invitation"),
        ('return HttpResponse("Gone fishing")', "Gone fishing"),
        ('@admin.action(description="Erase them")\ndef erase(): pass', "Erase them"),
        ('q = forms.CharField(widget=forms.TextInput(attrs={"placeholder": "Search"}))', "Search"),
        ('raise ValidationError("%(n)s words too many." % {"n": n})', " words too many."),
        ('def __str__(self):\n    return f"{self.user} in {self.network}"', " in "),
    ],
)
def test_python_sweep_finds_unmarked_strings(source, expected):
    assert [text for _, text in unmarked_python_text(source)] == [expected]


@pytest.mark.parametrize(
    "source",
    [
        'messages.success(request, _("Lesson saved."))',
        'raise ValidationError(_("%(n)s too many.") % {"n": n}, code="too_many")',
        'raise ActionRefused(ngettext("One lesson.", "%(n)s lessons.", n) % {"n": n})',
        'title = forms.CharField(label=pgettext_lazy("lesson field", "Title"))',
        'class Stage(models.TextChoices):\n    PILOT = "pilot", _("Pilot")',
        'kind = forms.ChoiceField(choices=[("a", gettext_lazy("Apples"))])',
        "messages.error(request, refusal.message)",
        'logger.info("Lesson %s saved", pk)',
        'css = forms.CharField(widget=forms.TextInput(attrs={"class": "wide input"}))',
        'return HttpResponse(json.dumps(data), content_type="application/json")',
        'return HttpResponse("<p>{}</p>".format(x))',
        'def __str__(self):\n    return f"{self.status} {self.method} {self.path}"',
        'def __str__(self):\n    return _("%(user)s in %(network)s") % {"user": u, "network": n}',
    ],
)
def test_python_sweep_passes_marked_or_unread_strings(source):
    assert unmarked_python_text(source) == []
