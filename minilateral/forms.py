from django.forms.renderers import TemplatesSetting


class SiteFormRenderer(TemplatesSetting):
    """Every form, allauth's included, renders with the site's labelled fields and error summary."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
