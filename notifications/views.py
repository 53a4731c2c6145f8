"""The official's notifications: the inbox, email preferences, and one-click unsubscribe."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from networks import access as network_access
from notifications import access
from notifications import services as notifications
from notifications.forms import NotificationSettingsForm
from notifications.models import Delivery

PAGE_SIZE = 25


@require_safe
def inbox(request):
    page = Paginator(notifications.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "items": notifications.describe_all(page.object_list, request.user),
            "unread": access.unread_notification_count(request.user),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def notification_open(request, pk):
    """Follow a notification to what it is about.

    Opening it (GET, as an email's link or a mail scanner does) changes nothing; it is marked
    read by a POST: the inbox's "Mark as read", which comes back to the inbox (`next`), or a
    POST without `next`, which goes on to what it is about."""
    notification = access.get_notification(request.user, pk)
    target = notifications.describe(notification, request.user).url or reverse(
        "notifications:inbox"
    )
    if request.method == "POST":
        notifications.notifications_mark_read(acting_user=request.user, notification=notification)
        back = request.POST.get("next", "")
        # A path of this site only: never a URL name (redirect() would look one up) or a host.
        if back.startswith("/") and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return HttpResponseRedirect(back)
    return redirect(target)


@require_POST
def notifications_read(request):
    notifications.notifications_mark_read(acting_user=request.user)
    messages.success(request, _("Every notification is marked as read."))
    return redirect("notifications:inbox")


@require_http_methods(["GET", "POST"])
def notification_settings(request):
    networks = list(network_access.member_networks(request.user).order_by("name"))
    form = NotificationSettingsForm(
        request.POST or None,
        networks=networks,
        current=notifications.preferences_of(request.user, networks),
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():  # every network's choice, or none
            for network, delivery in form.chosen():
                notifications.notification_preference_set(
                    acting_user=request.user, network=network, delivery=delivery
                )
        messages.success(request, _("Your email choices are saved."))
        return redirect("notifications:settings")
    return render(
        request, "notifications/notification_settings.html", {"form": form, "networks": networks}
    )


# The link in every email: it names the official and the network, signed; it needs no sign-in.
# GET asks to confirm (a mail scanner that follows links changes nothing); POST unsubscribes,
# from the page's button or from the mail program's one-click (RFC 8058), which sends no
# CSRF token: the signed link is the credential.


@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    user, network = notifications.unsubscribe_target(token)
    if user is None:
        raise Http404
    done = request.method == "POST"
    if done:
        notifications.notification_preference_set(
            acting_user=user, network=network, delivery=Delivery.NEVER
        )
    return render(
        request,
        "notifications/unsubscribe.html",
        {
            "network": network,
            "done": done,
            "action": reverse("notifications:unsubscribe", args=[token]),
        },
    )
