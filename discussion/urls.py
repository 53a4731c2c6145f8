from django.urls import path

from discussion import views

app_name = "discussion"

urlpatterns = [
    path("lessons/<int:pk>/comments/", views.comment_create, name="comment_create"),
    path(
        "lessons/<int:pk>/comments/<int:comment_id>/reply/",
        views.comment_create,
        name="comment_reply",
    ),
    path(
        "lessons/<int:pk>/comments/<int:comment_id>/edit/",
        views.comment_edit,
        name="comment_edit",
    ),
    path(
        "lessons/<int:pk>/comments/<int:comment_id>/delete/",
        views.comment_delete,
        name="comment_delete",
    ),
    path(
        "lessons/<int:pk>/comments/<int:comment_id>/history/",
        views.comment_history,
        name="comment_history",
    ),
    path(
        "lessons/<int:pk>/mentions/",
        views.mention_suggestions,
        name="mention_suggestions",
    ),
    path("lessons/<int:pk>/follow/", views.lesson_follow, name="follow"),
]
