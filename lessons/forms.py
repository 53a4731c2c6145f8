from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from lessons import access
from lessons.languages import language_choices
from lessons.models import (
    YEAR_MAX,
    YEAR_MIN,
    Endorsement,
    Lesson,
    PolicyArea,
    TechnologyArea,
    normalise_tag,
)
from networks.models import Attribution

# What each section asks, shown under its label: lessons-learned practice, not a blank page.
GUIDANCE = {
    "title": _(
        "Say what was done and what was learned, e.g. “Wallet roll-out: trust before features”."
    ),
    "summary": _("One paragraph a busy peer can read in thirty seconds."),
    "intended": _("What your government set out to do, for whom, and why then."),
    "happened": _("What actually happened, in order. Dates and numbers help."),
    "worked": _("What went well and should be repeated. Be specific."),
    "did_not_work": _("What went wrong or cost more than expected. Candour here is the point."),
    "why": _("The causes, as far as you understand them."),
    "recommendations": _("What you would tell a peer about to try the same."),
    "evidence": _("Figures, evaluations, links to reports."),
    "transfer_conditions": _("Where this would work elsewhere, and where it would not."),
    "tags": _("Words separated by commas, e.g. digital identity, procurement."),
}


class TagField(forms.CharField):
    def to_python(self, value):
        text = super().to_python(value)
        return sorted({normalise_tag(part) for part in text.split(",")} - {""})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value


class LessonForm(forms.ModelForm):
    tags = TagField(label=_("Tags"), required=False, max_length=600)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    creation_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Lesson
        fields = [
            "title",
            "summary",
            "technology_area",
            "policy_area",
            "stage",
            "year",
            "organisation",
            "intended",
            "happened",
            "worked",
            "did_not_work",
            "why",
            "recommendations",
            "evidence",
            "transfer_conditions",
            "outcome",
            "language",
            "audience",
            "attribution",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            **{section: forms.Textarea(attrs={"rows": 6}) for section in Lesson.SECTIONS},
        }

    def __init__(self, *args, in_working_group=False, **kwargs):
        super().__init__(*args, **kwargs)
        for name, text in GUIDANCE.items():
            self.fields[name].help_text = text
        self.fields["technology_area"].queryset = TechnologyArea.objects.all()
        self.fields["policy_area"].queryset = PolicyArea.objects.all()
        self.fields["year"].widget.attrs.update({"min": YEAR_MIN, "max": YEAR_MAX})
        self.fields["language"].choices = language_choices()
        self.fields["language"].help_text = _(
            "The language you write this lesson in. Readers are told it, and search understands "
            "the lesson’s words in that language."
        )
        self.fields["audience"].choices = [
            (a.value, a.label) for a in access.audience_choices(in_working_group=in_working_group)
        ]
        self.fields["audience"].help_text = _(
            "Wider than the home space needs a moderator’s agreement: it is asked for you."
        )
        self.fields["attribution"].choices = Attribution.choices
        self.fields["attribution"].help_text = _(
            "How you are shown to readers outside the home space. "
            "Inside it, members always see who wrote what."
        )
        if self.instance.pk:
            self.initial.setdefault("tags", list(self.instance.tags.values_list("name", flat=True)))
            self.initial.setdefault("version", self.instance.version)

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        if len(tags) > 12:
            raise forms.ValidationError(_("Use at most 12 tags."))
        return tags

    # Set by the view: publishing, or editing a published lesson, needs both key sections.
    require_both_sections = False

    def clean(self):
        cleaned = super().clean()
        if self.require_both_sections:
            for field in ("worked", "did_not_work"):
                if not (cleaned.get(field) or "").strip():
                    self.add_error(
                        field,
                        _("A lesson says something under both “what worked” and “what didn’t”."),
                    )
        return cleaned

    def lesson_data(self):
        return {
            key: value
            for key, value in self.cleaned_data.items()
            if key not in ("tags", "version", "creation_token")
        }


class EndorsementForm(forms.Form):
    kind = forms.ChoiceField(choices=Endorsement.Kind.choices)
    note = forms.CharField(
        label=_("How did it turn out?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AudienceForm(forms.Form):
    audience = forms.ChoiceField(label=_("Who may read this lesson"), widget=forms.RadioSelect)

    def __init__(self, *args, lesson, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [
            (a.value, a.label)
            for a in access.audience_choices(in_working_group=bool(lesson.working_group_id))
        ]
        self.initial.setdefault("audience", lesson.audience)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("A PDF, an image or an office document."))


class LessonFilterForm(forms.Form):
    SORTS = [
        ("newest", _("Newest")),
        ("endorsed", _("Most endorsed")),
        ("applied", _("Most applied")),
    ]
    group = forms.ChoiceField(label=_("Working group"), required=False)
    # Chosen by slug; cleaned to the TechnologyArea (or None).
    technology = forms.ChoiceField(label=_("Technology area"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=YEAR_MIN, max_value=YEAR_MAX
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=60)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._technology_areas = {area.slug: area for area in TechnologyArea.objects.all()}
        self.fields["group"].choices = [("", _("Any"))] + [(g.slug, g.name) for g in groups]
        self.fields["technology"].choices = [("", _("Any"))] + [
            (slug, area.name) for slug, area in self._technology_areas.items()
        ]
        self.fields["stage"].choices = [("", _("Any")), *Lesson.Stage.choices]
        self.fields["outcome"].choices = [("", _("Any")), *Lesson.Outcome.choices]

    def clean_technology(self):
        return self._technology_areas.get(self.cleaned_data["technology"])

    def fragment_key(self):
        """Everything the rendered form shows, for `{% cache %}` (lessons/templatetags/
        fragments.py): what was asked, and the choices offered, in the reader's language."""
        return repr(
            (
                sorted(self.data.lists()) if self.is_bound else None,
                [
                    (name, [(str(v), str(label)) for v, label in field.choices])
                    for name, field in self.fields.items()
                    if hasattr(field, "choices")
                ],
                translation.get_language(),
            )
        )


# The lesson form's parts, in the order an author tells the story: each is a fieldset with its
# heading, and the list at the top of the form says which are filled in.
LESSON_FORM_PARTS = [
    ("brief", _("The lesson in brief"), ["title", "summary"]),
    (
        "context",
        _("The context"),
        ["organisation", "technology_area", "policy_area", "stage", "year", "outcome", "language"],
    ),
    ("happened", _("What happened"), ["intended", "happened"]),
    ("results", _("What worked and what didn’t"), ["worked", "did_not_work", "why"]),
    ("peers", _("For peers"), ["recommendations", "evidence", "transfer_conditions"]),
    ("sharing", _("Sharing"), ["tags", "audience", "attribution"]),
]


def lesson_form_parts(form):
    """Each part of the lesson form with its bound fields, and whether every field has a value
    (what was typed, or what is saved): "done" in the list of parts."""
    parts = []
    for key, title, names in LESSON_FORM_PARTS:
        fields = [form[name] for name in names if name in form.fields]
        done = all(field.value() not in (None, "", []) for field in fields)
        parts.append({"key": key, "title": title, "fields": fields, "done": done})
    return parts
