from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from minilateral.validators import single_line
from networks.models import LANGUAGE_CHOICES, User


class LanguageSelect(forms.Select):
    """A select of languages, each option named in its own language and marked with it (`lang`),
    so that a screen reader says "Español" with a Spanish voice."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
        return option


def _interface_language_choices():
    # Called each time the form is shown: the languages offered are settings.LANGUAGES.
    offered = [code for code, _name in settings.LANGUAGES]
    return [
        ("", _("The language of my browser")),
        *((code, capfirst(get_language_info(code)["name_local"])) for code in offered),
    ]


def interface_language_field():
    """The official's choice of interface language (User.language): their browser's, or one of
    the languages Minilateral is offered in."""
    return forms.ChoiceField(
        label=_("Language of Minilateral"),
        choices=_interface_language_choices,
        required=False,
        widget=LanguageSelect,
        help_text=_("The pages and the email Minilateral sends you are in this language."),
    )


class SignupProfileForm(forms.Form):
    """What allauth's sign-up form asks beyond the email address and password."""

    full_name = forms.CharField(label=_("Full name"), max_length=200, validators=[single_line])
    job_title = forms.CharField(
        label=_("Job title"), max_length=200, required=False, validators=[single_line]
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("The ministry, agency or office you work for."),
    )
    language = interface_language_field()

    field_order = [
        "email",
        "full_name",
        "job_title",
        "organisation",
        "language",
        "password1",
        "password2",
    ]

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.job_title = self.cleaned_data["job_title"]
        user.organisation = self.cleaned_data["organisation"]
        user.language = self.cleaned_data["language"]
        user.save(update_fields=["full_name", "job_title", "organisation", "language"])


class ProfileForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose more than one."),
    )
    language = interface_language_field()

    class Meta:
        model = User
        fields = ["full_name", "job_title", "organisation", "languages", "language", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "bio": _("A few lines peers will see: what you work on, what you can help with.")
        }
