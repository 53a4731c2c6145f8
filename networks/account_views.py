"""Views of the official's own account, beside allauth's."""

from allauth.account.adapter import get_adapter
from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from minilateral.languages import browser_language, is_offered, remember_language
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
        user = account_services.profile_update(acting_user=request.user, form=form)
        # The message, and every page from the next on, in the language just chosen; the
        # browser follows too, so that it holds after signing out.
        translation.activate(user.language or browser_language(request))
        messages.success(request, _("Your profile is saved."))
        return remember_language(redirect("officials:account"), user.language)
    return render(request, "officials/profile_edit.html", {"form": form})


@login_not_required
@require_POST
def set_language(request):
    """The language switcher in every page's footer: the browser remembers the choice (a
    cookie), and a signed-in official's account too. Back to the page it was sent from."""
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    response = HttpResponseRedirect(back)
    language = request.POST.get("language", "")
    if not is_offered(language):
        return response
    if request.user.is_authenticated:
        account_services.official_language_set(acting_user=request.user, language=language)
    return remember_language(response, language)


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
