from django import forms
from django.utils.translation import gettext_lazy as _

from discussion.models import COMMENT_MAX_LENGTH


class CommentForm(forms.Form):
    """A comment or a reply. Limits are checked by the service too; here they give the message
    beside the field, with what was typed kept."""

    body = forms.CharField(
        label=_("Your comment"),
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Only members of this lesson’s space see the discussion. Markdown works: "
            "**bold**, lists, links. Type @ and a name to mention a member of this space."
        ),
        error_messages={"required": _("Write your comment before posting it.")},
    )
    creation_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, label=None, mention_url="", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["body"].label = label
        if mention_url:
            self.fields["body"].widget.attrs.update(
                {
                    "data-mention-url": mention_url,
                    # What the suggestions script says, translated here (it has no catalogue).
                    "data-mention-label": _("Officials to mention"),
                    "data-mention-one": _(
                        "1 official found: the up and down arrows move, Enter chooses."
                    ),
                    "data-mention-many": _(
                        "%(count)s officials found: the up and down arrows move, Enter chooses."
                    ),
                }
            )

    def clean_body(self):
        body = self.cleaned_data["body"]
        if len(body) > COMMENT_MAX_LENGTH:
            raise forms.ValidationError(
                _("Keep your comment to %(limit)s characters or fewer (it has %(count)s).")
                % {"limit": f"{COMMENT_MAX_LENGTH:,}", "count": f"{len(body):,}"}
            )
        return body
