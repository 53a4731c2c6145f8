from django import forms
from django.utils.translation import gettext_lazy as _

from networks.models import LANGUAGE_CHOICES, User


class SignupProfileForm(forms.Form):
    """What allauth's sign-up form asks beyond the email address and password."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("The ministry, agency or office you work for."),
    )

    field_order = ["email", "full_name", "job_title", "organisation", "password1", "password2"]

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.job_title = self.cleaned_data["job_title"]
        user.organisation = self.cleaned_data["organisation"]
        user.save(update_fields=["full_name", "job_title", "organisation"])


class ProfileForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose more than one."),
    )

    class Meta:
        model = User
        fields = ["full_name", "job_title", "organisation", "languages", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "bio": _("A few lines peers will see: what you work on, what you can help with.")
        }
