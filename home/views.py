"""The site's front page: the public landing page for visitors, and for a signed-in official
their home, what is worth their attention now in their networks (home/attention.py)."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from home import attention
from minilateral import views as frame_views
from networks.ended import ended_memberships


@login_not_required
@require_safe
def home(request):
    if not request.user.is_authenticated:
        return frame_views.home(request)
    home = attention.official_home(request.user)
    return render(
        request,
        "home/official_home.html",
        {"home": home, "ended_memberships": ended_memberships(request.user)},
    )
