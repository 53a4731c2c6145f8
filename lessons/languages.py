"""The languages lessons are written in: their names in the reader's interface language, the
choices offered when writing, and the language a new lesson starts in."""

import unicodedata

from django.conf import settings
from django.utils import translation

from networks.models import LANGUAGE_CHOICES

LESSON_LANGUAGES = frozenset(code for code, _name in LANGUAGE_CHOICES)

# Interface languages that write a language's name in lower case inside a sentence
# ("en français", "en inglés", "em português"), unlike English ("in French").
_LOWER_CASE_NAMES = frozenset({"fr", "es", "pt", "it", "ca"})


def _primary(code):
    return (code or "").lower().split("-")[0]


def reader_reads(code):
    """Whether the reader's interface language is the language `code` (any variety of it)."""
    return _primary(code) == _primary(translation.get_language() or settings.LANGUAGE_CODE)


def language_name(code, *, in_sentence=False):
    """The language's name in the reader's interface language ("French", "Français"); inside a
    sentence, in lower case where that language writes it so ("En français")."""
    try:
        name = str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return code
    reader = _primary(translation.get_language() or settings.LANGUAGE_CODE)
    if in_sentence and reader in _LOWER_CASE_NAMES and name:
        return name[0].lower() + name[1:]
    return name


def _sort_key(name):
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def language_choices():
    """Every language a lesson may be written in, named and sorted in the reader's language."""
    named = [(code, language_name(code)) for code, _english in LANGUAGE_CHOICES]
    return sorted(named, key=lambda choice: (_sort_key(choice[1]), choice[0]))


def author_language(user):
    """The language a new lesson by this official starts in: the one they chose for Minilateral
    (User.email_language prefers it) or the first they speak that Minilateral offers; else the
    first they speak at all; else the language of the page they write it on."""
    chosen = user.email_language
    spoken = [code for code in user.languages or () if code in LESSON_LANGUAGES]
    if chosen in LESSON_LANGUAGES and (getattr(user, "language", "") or chosen in spoken):
        return chosen
    if spoken:
        return spoken[0]
    current = translation.get_language() or settings.LANGUAGE_CODE
    return current if current in LESSON_LANGUAGES else settings.LANGUAGE_CODE
