"""The header's count of unread notifications, asked of the access policy like every count."""

from django import template

from notifications import access

register = template.Library()


@register.simple_tag
def unread_notification_count(user):
    if not getattr(user, "is_authenticated", False):
        return 0
    return access.unread_notification_count(user)
