"""Forms of the network pages. They parse and validate what was typed; the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from minilateral.validators import single_line
from networks.models import FLAG_THRESHOLD_RANGE, Attribution, Country, Membership, User


class InviteForm(forms.Form):
    addresses = forms.CharField(
        label=_("Email addresses"),
        help_text=_(
            "Paste one address a line, or separate them with commas. Only government addresses "
            "of the network’s member countries can be invited."
        ),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("A short message (optional)"),
        help_text=_("Who you are and why you want to join, for the convenor and focal point."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class OfficialsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.country})" if obj.country else obj.display_name


class CountryAddForm(forms.Form):
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.none())

    def __init__(self, *args, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = countries


class FocalPointForm(forms.Form):
    official = OfficialChoiceField(label=_("Official"), queryset=User.objects.none())

    def __init__(self, *args, candidates, country, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = candidates
        self.fields["official"].label = _("Focal point for %(country)s") % {"country": country}


class WorkingGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, validators=[single_line])
    purpose = forms.CharField(
        label=_("Purpose"),
        help_text=_("What the group is for, in a line or two."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WorkingGroupMembersForm(forms.Form):
    members = OfficialsChoiceField(
        label=_("Who belongs to the group"),
        help_text=_("Choose among the network’s active members."),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = candidates


class NetworkSettingsForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose"),
        help_text=_("The network’s charter in a few lines. Shown in the directory if listed."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    is_listed = forms.BooleanField(
        label=_("List the network in the directory"),
        help_text=_("Officials of member countries can then find it and ask to join."),
        required=False,
    )
    requires_review = forms.BooleanField(
        label=_("Lessons need a moderator’s review before they are published"), required=False
    )
    default_attribution = forms.ChoiceField(
        label=_("Default attribution"),
        help_text=_("How authors are shown to readers outside the network, unless they choose."),
        choices=Attribution.choices,
        widget=forms.RadioSelect,
    )
    flag_threshold = forms.IntegerField(
        label=_("Flags that hide a lesson or comment"),
        help_text=_(
            "A lesson or comment flagged by this many different members is hidden until a "
            "moderator decides. From 1 to 20."
        ),
        min_value=FLAG_THRESHOLD_RANGE[0],
        max_value=FLAG_THRESHOLD_RANGE[1],
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class AuditFilterForm(forms.Form):
    """The audit log's filters, a GET form: the type of event, who acted, between which days."""

    action = forms.ChoiceField(label=_("Type of event"), required=False)
    actor = OfficialChoiceField(
        label=_("Who"), queryset=User.objects.none(), required=False, empty_label=_("Anyone")
    )
    since = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, actors, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = actors
        self.fields["action"].choices = [("", _("Any type")), *actions]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The last day comes before the first day."))
        return cleaned
