"""The site's own address, for emails rendered without a request's context (django-allauth's):
the configured SITE_URL, never the host a request happened to use."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def site_address():
    return settings.SITE_URL
