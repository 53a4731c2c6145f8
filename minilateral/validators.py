"""Validators shared by the models and forms of every app."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Every character that starts a new line somewhere: a title or a name is shown on one line in
# lists, emails, file names and CSV cells, where a line break would break the layout or the row.
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def single_line(value):
    """Refuse a title or a name that holds a line break."""
    if value and any(char in LINE_BREAKS for char in value):
        raise ValidationError(
            _("Keep this on one line: remove the line breaks."), code="line_break"
        )
