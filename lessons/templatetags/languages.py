"""The language a lesson is written in, as its reader is told it: named in the reader's
interface language, and said only where it is not that language.

Templates put `lang="{{ lesson.language }}"` on the lesson's own words (title, summary,
sections) and leave the interface around them in the page's language."""

from django import template

from lessons.languages import language_name, reader_reads

register = template.Library()


@register.simple_tag
def written_in(code):
    """The name of the language `code`, to say "In French", where the reader's interface is in
    another language; "" where it is in this one."""
    if not code or reader_reads(code):
        return ""
    return language_name(code, in_sentence=True)


@register.filter
def language_label(code):
    """The language's name on its own (a label, a list), in the reader's interface language."""
    return language_name(code)
