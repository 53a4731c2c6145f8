"""The insights dashboard of a network, and its figures as CSV: for the network's convenors and
moderators (networks.access.get_insights_network); for anyone else the pages do not exist."""

import csv
import io

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from insights.figures import network_insights
from minilateral.spreadsheets import safe_cell
from networks import access as network_access


def network_home_link(request, network):
    """The link to the insights on the network's home (networks.pages.network_home)."""
    if not network_access.can_view_insights(request.user, network):
        return {}
    return {"insights_url": reverse("insights:dashboard", args=[network.slug])}


@require_safe
def dashboard(request, slug):
    network = network_access.get_insights_network(request.user, slug)
    period, sections = network_insights(request.user, network)
    return render(
        request,
        "insights/dashboard.html",
        {"network": network, "period": period, "sections": sections},
    )


@require_safe
def figures_csv(request, slug):
    network = network_access.get_insights_network(request.user, slug)
    period, sections = network_insights(request.user, network)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Section"), _("Subject"), _("Figure"), _("Value")])
    for section in sections:
        for row in section.rows:
            writer.writerow([safe_cell(cell) for cell in (section.title, *row)])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"{network.slug}-insights-{period.now:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
