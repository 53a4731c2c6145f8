"""The search page and saved searches. Thin: parse, ask search.engine (which asks the access
policy), render; saves and deletions through the services, Post/Redirect/Get."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from networks.services import ActionRefused
from search import access, services
from search import engine as search
from search import params as search_params

TIPS = [
    gettext_lazy("Type a few words: lessons with all of them come first."),
    gettext_lazy("Put a phrase in quotes: “trust came before features”."),
    gettext_lazy("Put a minus before a word to leave it out: wallet -biometrics."),
    gettext_lazy("Write OR between words to find either: cloud OR procurement."),
    gettext_lazy("Accents and capitals don’t matter: enrolment finds Enrolment."),
]


@require_safe
def search_page(request):
    params = search.SearchParams.from_query(request.GET)
    in_comments = params.scope == search.COMMENTS
    # The page's content is remembered with the search's counts (lessons.remembered.Remembered):
    # per reader's view, search and generation; the save form, with its tokens, is not.
    remembered = search.Remembered.of_search(request.user, params)
    part = (
        f"page:{params.scope}:{params.order}:{params.page}:{timezone.get_current_timezone_name()}"
    )
    content = remembered.get(part)
    if content is None:
        outcome = search.search_lessons(request.user, params, remembered=remembered)
        content = render_to_string(
            "search/_search_content.html",
            {
                "params": params,
                "outcome": outcome,
                "in_comments": in_comments,
                "source": outcome.source,
                "page": outcome.page,
                "query": urlencode(params.pairs(without=["page"])),
                "keep_for_query": params.pairs(without=["q"]),
                "keep_for_sort": params.pairs(without=["sort"]),
                "keep_for_facets": params.pairs(without=search_params.FACET_NAMES),
                "sorts": [
                    (value, label)
                    for value, label in search_params.SORTS.items()
                    if (value != "relevance" or params.q)
                    and (outcome.source is None or value in search_params.SOURCE_SORTS)
                ],
                "clear_filters_url": params.url(filters={}, page=1),
                "tips": TIPS,
                "max_length": search_params.MAX_QUERY_LENGTH,
            },
            request=request,
        )
        remembered.keep(part, content)
    return render(
        request,
        "search/search.html",
        {
            "params": params,
            "in_comments": in_comments,
            "content": content,
            "keep_all": params.pairs(),
        },
    )


@require_http_methods(["GET", "POST"])
def saved_searches(request):
    if request.method == "POST":
        params = search.SearchParams.from_query(request.POST)
        try:
            services.saved_search_create(
                acting_user=request.user, params=params, name=request.POST.get("name", "")
            )
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
            return redirect(params.url())
        messages.success(
            request, _("Your search is saved. Your digest will tell you of new matches.")
        )
        return redirect("search:saved_searches")
    return render(
        request,
        "search/saved_searches.html",
        {"saved": list(access.own_saved_searches(request.user))},
    )


@require_POST
def saved_search_delete(request, pk):
    saved = access.get_saved_search(request.user, pk)
    services.saved_search_delete(acting_user=request.user, saved_search=saved)
    messages.success(request, _("The saved search is deleted."))
    return redirect("search:saved_searches")
