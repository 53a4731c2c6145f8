from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lessons.forms import TagField
from lessons.models import PolicyArea
from minilateral.validators import single_line
from networks.models import LANGUAGE_CHOICES, Attribution
from questions import access
from questions.models import ANSWER_MAX_LENGTH, QUESTION_BODY_MAX_LENGTH


class QuestionForm(forms.Form):
    """A question, asked or edited. The limits are checked by the service too; here they give
    the message beside the field, with what was typed kept."""

    space = forms.ChoiceField(
        label=_("Where to ask"),
        help_text=_("A network or working group you belong to: its members are asked first."),
        error_messages={
            "required": _("Choose a network or working group you belong to."),
            "invalid_choice": _("Choose a network or working group you belong to."),
        },
    )
    title = forms.CharField(
        label=_("Your question in one line"),
        max_length=200,
        validators=[single_line],
        help_text=_("e.g. “Has anyone moved their identity app to a wallet? What broke?”"),
        error_messages={"required": _("Give your question a title.")},
    )
    body = forms.CharField(
        label=_("What you would like to know"),
        max_length=QUESTION_BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Your context, and what a useful answer would say. Markdown works."),
        error_messages={"required": _("Say what you would like to know.")},
    )
    deadline = forms.DateField(
        label=_("Answers wanted by (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the date as year-month-day, e.g. 2026-09-30.")},
    )
    policy_area = forms.ModelChoiceField(
        label=_("Policy area"), queryset=PolicyArea.objects.none(), required=False
    )
    tags = TagField(
        label=_("Tags"),
        required=False,
        max_length=600,
        help_text=_("Words separated by commas, e.g. digital identity, procurement."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    audience = forms.ChoiceField(
        label=_("Who may read it"),
        help_text=_("Only members of the home space may answer."),
    )
    attribution = forms.ChoiceField(
        label=_("Attribution"),
        choices=Attribution.choices,
        help_text=_(
            "How you are shown to readers outside the home space. "
            "Inside it, members always see who wrote what."
        ),
    )
    creation_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, spaces=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy_area"].queryset = PolicyArea.objects.all()
        self.spaces = {}
        choices = []
        for network, groups in spaces:
            self.spaces[network.slug] = (network, None)
            choices.append((network.slug, network.name))
            for group in groups:
                key = f"{network.slug}/{group.slug}"
                self.spaces[key] = (network, group)
                choices.append((key, f"{network.name} › {group.name}"))
        self.fields["space"].choices = [("", _("Choose…")), *choices]
        self.fields["audience"].choices = [
            (a.value, a.label) for a in access.audience_choices(in_working_group=True)
        ]
        if editing:
            for name in ("space", "audience", "attribution", "creation_token"):
                del self.fields[name]

    def clean_deadline(self):
        """Not in the past, unless it is the date the question already had."""
        deadline = self.cleaned_data["deadline"]
        past = deadline is not None and deadline < timezone.localdate()
        if past and deadline != self.initial.get("deadline"):
            raise forms.ValidationError(_("The date answers are wanted by is in the past."))
        return deadline

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        if len(tags) > 12:
            raise forms.ValidationError(_("Use at most 12 tags."))
        return tags

    def clean(self):
        cleaned = super().clean()
        space = self.spaces.get(cleaned.get("space")) if "space" in self.fields else None
        if space is not None:
            cleaned["network"], cleaned["working_group"] = space
            if cleaned.get("audience") == "group" and space[1] is None:
                self.add_error(
                    "audience", _("Only a question asked in a working group can be for it alone.")
                )
        return cleaned


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        strip=True,
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Only members of this question’s space see the answers. Markdown works: "
            "**bold**, lists, links. Type @ and a name to mention a member of this space."
        ),
        error_messages={"required": _("Write your answer before posting it.")},
    )
    attribution = forms.ChoiceField(
        label=_("If this answer is quoted in a lesson"),
        choices=Attribution.choices,
        help_text=_("How you are credited to readers outside this space."),
    )
    creation_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, label=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["body"].label = label
        if editing:
            del self.fields["attribution"]
            del self.fields["creation_token"]
