"""Views of the official's own account, beside allauth's."""

from allauth.account.adapter import get_adapter
from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from networks import access, account_services, services
from networks.account_forms import ProfileForm
from networks.adapters import INVITATION_SESSION_KEY
from networks.middleware import has_second_factor
from networks.models import User


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404
    context = {"invitation": invitation, "network": invitation.network}
    if not invitation.is_usable:
        return render(request, "officials/invitation_unusable.html", context, status=410)

    if not request.user.is_authenticated:
        if User.objects.filter(email__iexact=invitation.email).exists():
            login_url = reverse("account_login") + "?" + urlencode({"next": request.path})
            return render(
                request, "officials/invitation_sign_in.html", {**context, "login_url": login_url}
            )
        # A new official: allauth's sign-up, with the invited address already verified
        # (the link proves it) and the invitation remembered for when the account exists.
        request.session[INVITATION_SESSION_KEY] = token
        get_adapter(request).stash_verified_email(request, invitation.email)
        return redirect("account_signup")

    if request.user.email.lower() != invitation.email.lower():
        return render(request, "officials/invitation_other_account.html", context, status=403)
    if request.method == "POST":
        try:
            services.invitation_accept(acting_user=request.user, invitation=invitation)
        except services.ActionRefused as refusal:
            messages.error(request, refusal.message)
            return render(request, "officials/invitation_unusable.html", context, status=409)
        messages.success(
            request, _("Welcome to %(network)s.") % {"network": invitation.network.name}
        )
        return redirect(invitation.network)
    return render(request, "officials/invitation_accept.html", context)


@require_safe
def account(request):
    user = request.user
    return render(
        request,
        "officials/account.html",
        {
            "official": user,
            "has_second_factor": has_second_factor(user),
            "requires_mfa": access.requires_mfa(user),
        },
    )


@require_http_methods(["GET", "POST"])
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        account_services.profile_update(acting_user=request.user, form=form)
        messages.success(request, _("Your profile is saved."))
        return redirect("officials:account")
    return render(request, "officials/profile_edit.html", {"form": form})


@require_safe
def profile(request, pk):
    official = access.get_visible_official(request.user, pk)
    return render(request, "officials/profile.html", {"official": official})


@reauthentication_required
@require_http_methods(["GET", "POST"])
def deactivate(request):
    if request.method == "POST":
        account_services.account_deactivate(acting_user=request.user)
        logout(request)
        messages.info(request, _("Your account is closed. Thank you for what you shared."))
        return redirect("home")
    return render(request, "officials/deactivate.html")


@reauthentication_required
@require_http_methods(["GET", "POST"])
def data_download(request):
    """The official's own data, always theirs: there is no id in the address to change."""
    if request.method == "POST":
        data = account_services.account_export_data(acting_user=request.user)
        response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
        filename = f"minilateral-my-data-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "officials/data_download.html")


@require_safe
def mfa_required(request):
    if has_second_factor(request.user) or not access.requires_mfa(request.user):
        return redirect("officials:account")
    return render(request, "officials/mfa_required.html")
