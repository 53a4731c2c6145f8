from django import template

from networks import submissions

register = template.Library()


@register.simple_tag
def submission_token():
    """The hidden one-time token of a form that creates something (networks/submissions.py)."""
    return submissions.hidden_field()
