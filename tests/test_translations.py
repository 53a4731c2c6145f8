"""The French and Spanish catalogues hold every marked string, translate it well, and are used.

1. `makemessages` run over a copy of the source finds no msgid that a catalogue lacks.
2. Every entry is translated, none is fuzzy, its placeholders and HTML tags are those of the
   English, and `msgfmt --check-format -c` accepts both catalogues.
3. Every page of the URL sweep (tests/urls_sweep.py), with real objects of the demo world in
   its arguments, rendered in French and in Spanish for a visitor, a member, a moderator and a
   convenor, shows none of the catalogue's English: no run of three or more English words of a
   msgid appears in its text. Text the page itself declares to be in another language (`lang`,
   as a lesson written in English is) and what people wrote (lesson and comment text, names,
   purposes, notes) are left out. The sign-in pages of django-allauth are among them; only the
   project's own msgids are looked for, since allauth's and Django's catalogues are their own.

The catalogues are compiled into a temporary folder for the run (`msgfmt`), so the test reads
the .po files of the tree, not .mo files that may be older.
"""

import contextlib
import html.parser
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import resolve, reverse
from django.utils import translation

from tests.networks.conftest import sign_in
from tests.urls_sweep import all_urls

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ["fr", "es"]
# The folders makemessages reads: every app of the project (those inside its folder), and the
# project's templates.
SOURCE_FOLDERS = [
    *(Path(app.path).name for app in apps.get_app_configs() if Path(app.path).parent == ROOT),
    "templates",
]


def catalogue_path(code):
    return ROOT / "locale" / code / "LC_MESSAGES" / "django.po"


# ---------------------------------------------------------------------------------------------
# Reading a catalogue


@dataclass
class Entry:
    context: str | None = None
    msgid: str = ""
    plural: str | None = None
    translations: list = field(default_factory=list)
    flags: set = field(default_factory=set)

    @property
    def key(self):
        return (self.context, self.msgid, self.plural)

    def __str__(self):
        return f"{self.context + ' | ' if self.context else ''}{self.msgid}"


_LINE = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$')
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(text):
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


def read_catalogue(path):
    """The entries of a .po or .pot file (the header and obsolete entries left out)."""
    entries = []
    for block in Path(path).read_text(encoding="utf-8").split("\n\n"):
        entry, parts, last = Entry(), {}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif match := _LINE.match(line):
                last = match.group(1)
                parts[last] = _unquote(match.group(2))
            elif line.startswith('"') and last:
                parts[last] += _unquote(line[1:-1])
        if not parts.get("msgid"):
            continue  # the header, or a block of comments only
        entry.context = parts.get("msgctxt")
        entry.msgid = parts["msgid"]
        entry.plural = parts.get("msgid_plural")
        entry.translations = [value for key, value in sorted(parts.items()) if key[:6] == "msgstr"]
        entries.append(entry)
    return entries


# ---------------------------------------------------------------------------------------------
# 1. Every marked string is in both catalogues


@pytest.fixture(scope="module")
def marked_in_source(tmp_path_factory):
    """What makemessages finds in the source, run on a copy so that the tree is not written."""
    copy = tmp_path_factory.mktemp("source")
    ignore = shutil.ignore_patterns("__pycache__", "migrations", "*.pyc")
    for name in SOURCE_FOLDERS:
        shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    extensions = {"py"} | {
        path.suffix.lstrip(".") for path in (ROOT / "templates").rglob("*.*") if path.is_file()
    }
    with contextlib.chdir(copy), override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command(
            "makemessages",
            locale=["fr"],
            extensions=sorted(extensions),
            keep_pot=True,
            verbosity=0,
            stdout=StringIO(),
        )
    return read_catalogue(copy / "locale" / "django.pot")


def test_makemessages_finds_the_marked_strings(marked_in_source):
    msgids = {entry.msgid for entry in marked_in_source}
    # One from Python, one from an HTML template, one from a plain-text email, one from a brief.
    assert {"Choose a reason.", "Public lessons", "Open it in Minilateral:", "Contents"} <= msgids
    assert len(marked_in_source) > 500


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalogue_holds_every_marked_string(marked_in_source, code):
    held = {entry.key for entry in read_catalogue(catalogue_path(code))}
    missing = [str(entry) for entry in marked_in_source if entry.key not in held]
    assert not missing, f"{len(missing)} msgids missing from the {code} catalogue " + (
        "(run makemessages and translate them):\n" + "\n".join(missing)
    )


# ---------------------------------------------------------------------------------------------
# 2. Every entry translated, and well formed

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
# Markup in a msgid, not a placeholder in angle brackets such as “<country>”.
HTML_TAG = re.compile(r"</?(?:a|abbr|b|br|code|em|i|kbd|li|p|small|span|strong|time|ul)\b[^>]*>")


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(code):
    entries = read_catalogue(catalogue_path(code))
    assert len(entries) > 500
    untranslated = [str(e) for e in entries if not e.translations or not all(e.translations)]
    fuzzy = [str(e) for e in entries if "fuzzy" in e.flags]
    assert not untranslated, "Untranslated:\n" + "\n".join(untranslated)
    assert not fuzzy, "Fuzzy (check, then remove the flag):\n" + "\n".join(fuzzy)


@pytest.mark.parametrize("code", LANGUAGES)
def test_translations_keep_the_placeholders_and_tags_of_the_english(code):
    wrong = []
    for entry in read_catalogue(catalogue_path(code)):
        english = [entry.msgid] + ([entry.plural] if entry.plural else [])
        placeholders = {p for text in english for p in PLACEHOLDER.findall(text)}
        tags = sorted(HTML_TAG.findall(entry.msgid))
        for translation_ in entry.translations:
            if entry.plural is None and set(PLACEHOLDER.findall(translation_)) != placeholders:
                wrong.append(f"{entry}: placeholders of {translation_!r}")
            elif not set(PLACEHOLDER.findall(translation_)) <= placeholders:
                wrong.append(f"{entry}: unknown placeholder in {translation_!r}")
            if sorted(HTML_TAG.findall(translation_)) != tags:
                wrong.append(f"{entry}: HTML of {translation_!r}")
    assert not wrong, "\n".join(wrong)


# French sets a no-break space before ; : ! ? » and after « (a colon only as punctuation, not in
# "07:00" or "https://").
NO_BREAK = "\u00a0\u202f"
FRENCH_SPACING = re.compile(rf"[^{NO_BREAK}](?:[;!?»]|:(?=\s|$))|«[^{NO_BREAK}]", re.MULTILINE)


@pytest.mark.parametrize(
    ("text", "spaced"),
    [
        ("Motif\u00a0: %(reason)s", True),
        ("Quel est le problème\u202f?", True),
        ("«\u00a0%(title)s\u00a0»", True),
        ("à 07:00 UTC, sur https://exemple.fr", True),
        ("Motif : %(reason)s", False),
        ("Motif: %(reason)s", False),
        ("Quel est le problème?", False),
        ("« %(title)s »", False),
    ],
)
def test_french_spacing_check_tells_spaced_from_unspaced(text, spaced):
    assert (FRENCH_SPACING.search(text) is None) is spaced


def test_french_punctuation_has_its_no_break_spaces():
    wrong = [
        f"{entry}: {text!r}"
        for entry in read_catalogue(catalogue_path("fr"))
        for text in entry.translations
        if FRENCH_SPACING.search(text)
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("code", LANGUAGES)
def test_msgfmt_accepts_the_catalogue(code, tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check-format", "-c", "-o", str(tmp_path / "django.mo"), catalogue_path(code)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------------------------------------
# 3. Pages in French and Spanish show no English of the catalogue

PERSONAS = ["visitor", "member", "moderator", "convenor"]
MIN_WORDS = 3
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# A msgid's fixed text lies between its placeholders and tags.
VARIABLE_PART = re.compile(r"%\(\w+\)[sd]|%[sd]|<[^>]*>|\{\{.*?\}\}|\n")
INVITATION_TOKEN = "translations-test-invitation-token"
TEXT_TYPES = ("text/", "application/atom+xml", "application/xml")


@pytest.fixture(scope="session")
def compiled_locale(tmp_path_factory):
    """The catalogues of the tree compiled into a folder of their own."""
    folder = tmp_path_factory.mktemp("locale")
    for code in LANGUAGES:
        target = folder / code / "LC_MESSAGES"
        target.mkdir(parents=True)
        subprocess.run(
            ["msgfmt", "-o", str(target / "django.mo"), catalogue_path(code)], check=True
        )
    return folder


def english_runs(code):
    """(run of English words, its msgid) for every msgid, where the run is the catalogue's own
    English and not also its translation (a name, or a word both languages share)."""
    runs = {}
    for entry in read_catalogue(catalogue_path(code)):
        translated = " ".join(entry.translations)
        for english in filter(None, [entry.msgid, entry.plural]):
            for part in VARIABLE_PART.split(english):
                run = " ".join(part.split())
                if len(WORD.findall(run)) >= MIN_WORDS and run not in translated:
                    runs.setdefault(run, entry)
    return runs


def close_element(stack, tag):
    """Pop the open elements of a parser's stack of (tag, ...) down to the last `tag`."""
    for depth in range(len(stack) - 1, -1, -1):
        if stack[depth][0] == tag:
            del stack[depth:]
            break


class _PageText(html.parser.HTMLParser):
    """The text a reader meets in the page's language: text nodes and read attributes, without
    scripts, styles, what people wrote (`.prose`) and what is declared another language."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    READ = {"title", "aria-label", "placeholder", "alt"}

    def __init__(self, code):
        super().__init__(convert_charrefs=True)
        self.code = code
        self.stack = []  # (tag, reads: whether text inside is the page's own)
        self.parts = []

    def reads(self):
        return not self.stack or self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        inside = self.reads()
        language = (attrs.get("lang") or "").split("-")[0]
        if language:
            inside = language == self.code
        if tag in ("script", "style") or "prose" in (attrs.get("class") or "").split():
            inside = False
        if inside:
            self.parts += [value for name, value in attrs.items() if name in self.READ and value]
            if tag == "input" and attrs.get("type") in ("submit", "button"):
                self.parts.append(attrs.get("value") or "")
        if tag not in self.VOID:
            self.stack.append((tag, inside))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        close_element(self.stack, tag)

    def handle_data(self, data):
        if self.reads():
            self.parts.append(data)


def page_text(body, content_type, code):
    if "html" in content_type:
        parser = _PageText(code)
        parser.feed(body)
        parser.close()
        body = " ".join(parser.parts)
    return " ".join(body.split())


def written_by_people():
    """What officials wrote, which a page may show as it is, in whatever language it is in."""
    from discussion.models import Comment
    from lessons.models import Endorsement, Lesson, Tag
    from moderation.models import Brief, Collection, Flag, ModeratorNote
    from networks.models import JoinRequest, Network, User, WorkingGroup
    from search.models import SavedSearch

    fields = [
        (
            Lesson,
            [f.name for f in Lesson._meta.get_fields() if f.get_internal_type() == "TextField"],
        ),
        (Lesson, ["title", "organisation"]),
        (Comment, ["body"]),
        (Network, ["name", "purpose"]),
        (WorkingGroup, ["name", "purpose"]),
        (Collection, ["title", "introduction"]),
        (Brief, ["title"]),
        (ModeratorNote, ["body"]),
        (Flag, ["note"]),
        (JoinRequest, ["message"]),
        (Endorsement, ["note"]),
        (User, ["full_name", "job_title", "organisation", "bio"]),
        (Tag, ["name"]),
        (SavedSearch, ["name"]),
    ]
    texts = []
    for model, names in fields:
        names = [n for n in names if n not in ("hidden_reason", "search_vector")]
        for row in model.objects.values_list(*names):
            texts += [" ".join(str(value).split()) for value in row if value]
    return "\n".join(texts)


@pytest.fixture
def world(cast):
    """Objects of the demo world for every kind of URL argument, as the permission matrices
    build them (tests/lessons/test_permissions.py), so that pages render rather than 404."""
    from django.core.files.base import ContentFile

    from demo.lessons import DEMO_PDF
    from discussion import services as discussion
    from lessons import services as lessons
    from lessons.models import Lesson
    from moderation.models import Collection
    from networks import services as networks
    from networks.models import Invitation, Membership
    from notifications import services as notifications
    from notifications.models import Notification
    from search import params as search_params
    from search import services as search

    lesson = Lesson.objects.get(title__startswith="AI chatbot for tax questions")
    public = Lesson.objects.filter(audience="public", state="published").first()
    attachment = lessons.attachment_add(
        acting_user=lesson.author, lesson=lesson, upload=ContentFile(DEMO_PDF, name="a.pdf")
    )
    request = lessons.lesson_change_audience(
        acting_user=lesson.author, lesson=lesson, audience="all_networks"
    )
    comment = discussion.comment_create(
        acting_user=lesson.author, lesson=lesson, body="What would @Lucía Pérez do?"
    ).comment
    lessons.endorsement_toggle(
        acting_user=cast.member, lesson=lesson, kind="applied", note="We tried it in Montevideo."
    )
    invited = Invitation.objects.create(
        email="rui.lopes@gov.pt",
        network=cast.digital_nations,
        role=Membership.Role.MEMBER,
        country=cast.invitation.country,
        invited_by=cast.convenor,
        token_digest=networks.token_digest(INVITATION_TOKEN),
        expires_at=networks.invitations._invitation_expiry(),
    )
    return SimpleNamespace(
        cast=cast,
        lesson=lesson,
        public=public,
        attachment=attachment,
        request=request,
        comment=comment,
        invited=invited,
        collection=Collection.objects.get(title="Digital identity playbook"),
        membership=Membership.objects.get(user=cast.member, network=cast.digital_nations),
        notification=Notification.objects.filter(recipient=cast.member, comment=comment).first(),
        unsubscribe_token=notifications.unsubscribe_token(cast.member, cast.digital_nations),
        saved=search.saved_search_create(
            acting_user=cast.member, params=search_params.SearchParams.from_query({"q": "tax"})
        ),
    )


def export_brief(world):
    """A public brief of the world's collection, exported by its moderator."""
    from moderation import curation

    return curation.brief_export(
        acting_user=world.cast.moderator,
        network=world.cast.digital_nations,
        title="For the OECD",
        audience="public",
        collection=world.collection,
    )


def _argument(world, name, key, sample):
    """A real value for the URL argument `key` of the URL named `name`."""
    by_name = {
        "notifications:open": {"pk": getattr(world.notification, "pk", sample)},
        "notifications:unsubscribe": {"token": world.unsubscribe_token},
        "officials:invitation_accept": {"token": INVITATION_TOKEN},
        "officials:profile": {"pk": world.cast.moderator.pk},
        "search:saved_search_delete": {"pk": world.saved.pk},
        "moderation:brief_download": {"pk": world.brief.pk, "extension": "md"},
    }
    by_key = {
        "slug": world.cast.digital_nations.slug,
        "group_slug": world.cast.group.slug,
        "collection_slug": world.collection.slug,
        "pk": world.lesson.pk,
        "comment_id": world.comment.pk,
        "attachment_id": world.attachment.pk,
        "request_id": getattr(world.request, "pk", sample),
        "membership_id": world.membership.pk,
        "invitation_id": world.cast.invitation.pk,
        "join_request_id": world.cast.join_request.pk,
        "code": "DK",
        "user_id": world.cast.focal_point.pk,
        "action": "feature",
    }
    return by_name.get(name, {}).get(key, by_key.get(key, sample))


def pages(world):
    """Every page of the URL sweep with real arguments, and a few more a sweep cannot reach."""
    direct = {
        "lessons:public_detail": world.public.get_public_url(),
        "moderation:public_collection": world.collection.get_public_url(),
    }
    paths = []
    for name, path in all_urls():
        if path.startswith(("/admin/", "/static/")):
            continue  # the platform admin's pages: Django's own, for the operators
        match = resolve(path)
        if name in direct:
            path = direct[name]
        elif match.kwargs and not name.startswith("/") and "^" not in match.route:
            kwargs = {key: _argument(world, name, key, v) for key, v in match.kwargs.items()}
            path = reverse(name, kwargs=kwargs)
        paths.append(path)
    network = world.cast.digital_nations.slug
    paths += [
        reverse("search:page") + "?q=identity",
        reverse("lessons:network_list", args=[network]) + "?q=tax",
        reverse("lessons:tag_suggestions") + f"?network={network}&q=ta",
        "/no/such/page/",  # the 404 page
    ]
    return sorted(set(paths))


def speak(client, user, code):
    """The client asks for `code`: by cookie and header, and by the official's own language
    when the account has a setting for it."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = code
    if user is not None:
        for model_field in user._meta.get_fields():
            choices = [choice[0] for choice in getattr(model_field, "choices", None) or []]
            if code in choices and "fr" in choices and "es" in choices:
                setattr(user, model_field.name, code)
                user.save(update_fields=[model_field.name])
    return client


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def brief_pages(world):
    """A public brief of the demo collection, exported by the moderator in the active language
    (`world.brief`, which `pages` needs); returns the pages the sweep cannot name: its CSV."""
    world.brief = export_brief(world)
    return [
        reverse(
            "moderation:brief_download",
            args=[world.cast.digital_nations.slug, world.brief.pk, "csv"],
        )
    ]


@pytest.mark.parametrize("code", LANGUAGES)
def test_pages_show_no_english_of_the_catalogue(world, code, compiled_locale, settings):
    settings.LOCALE_PATHS = [compiled_locale]
    with translation.override(code):  # made by a moderator reading in this language
        extra = brief_pages(world)
    runs = english_runs(code)
    people = written_by_people()
    paths = pages(world) + extra
    found, rendered = {}, 0
    for persona in PERSONAS:
        user = getattr(world.cast, persona, None)
        client = speak(sign_in(user), user, code)
        responses = [(path, client.get(path)) for path in paths]
        if persona == "visitor":
            responses += two_factor_pages(client, world.cast)
        for path, response in responses:
            content_type = response.get("Content-Type", "")
            if response.status_code in (301, 302, 303, 405) or not content_type.startswith(
                TEXT_TYPES
            ):
                continue
            assert response.get("Content-Language") == code, f"{path}: not in {code}"
            rendered += 1
            text = page_text(body_of(response), content_type, code)
            for run, entry in runs.items():
                if run in text and run not in people:
                    found.setdefault(run, f"{persona} {path} shows {run!r} (msgid {entry.msgid!r})")
    assert rendered > 150, f"only {rendered} pages rendered: the sweep lost its arguments"
    assert not found, f"English on {code} pages:\n" + "\n".join(sorted(found.values()))


def two_factor_pages(client, cast):
    """The second step of signing in, which only a first step leads to."""
    response = client.post(
        reverse("account_login"), {"login": cast.moderator.email, "password": cast.password}
    )
    assert response.status_code == 302, "the moderator's password step failed"
    path = reverse("mfa_authenticate")
    return [(path, client.get(path))]
