from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    path("search/", views.search_page, name="page"),
    path("search/saved/", views.saved_searches, name="saved_searches"),
    path(
        "search/saved/<int:pk>/delete/",
        views.saved_search_delete,
        name="saved_search_delete",
    ),
]
