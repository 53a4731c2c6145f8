"""Template tags every page uses, registered as the `site_pages` library (TEMPLATES in settings):
the frame's own, so no app's templatetags folder is needed."""

from django import template
from django.forms import BaseForm, BaseFormSet
from django.utils.translation import gettext

register = template.Library()


def _has_errors(value):
    if isinstance(value, BaseForm):
        return value.is_bound and bool(value.errors)
    if isinstance(value, BaseFormSet):
        return value.is_bound and not value.is_valid()
    return False


@register.simple_tag(takes_context=True)
def error_title_prefix(context):
    """ "Error: " when a form on the page was sent back with errors, so the page's title says so
    first (the GOV.UK pattern: screen readers announce the title on load)."""
    if any(_has_errors(value) for value in context.flatten().values()):
        return gettext("Error: ")
    return ""
