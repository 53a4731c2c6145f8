from django.urls import path

from lessons import attachment_views, public_views, views, writing_views

app_name = "lessons"

urlpatterns = [
    path("networks/<slug:slug>/lessons/", views.network_lessons, name="network_list"),
    path("lessons/mine/", views.my_lessons, name="mine"),
    path("lessons/new/", writing_views.lesson_create, name="create"),
    path("lessons/tags/", writing_views.tag_suggestions, name="tag_suggestions"),
    path("lessons/<int:pk>/", public_views.lesson_page, name="detail"),
    path("lessons/<int:pk>/edit/", writing_views.lesson_edit, name="edit"),
    path("lessons/<int:pk>/history/", views.lesson_history, name="history"),
    path("lessons/<int:pk>/publish/", views.lesson_publish, name="publish"),
    path("lessons/<int:pk>/withdraw/", views.lesson_withdraw, name="withdraw"),
    path("lessons/<int:pk>/restore/", views.lesson_restore, name="restore"),
    path("lessons/<int:pk>/audience/", views.lesson_audience, name="audience"),
    path(
        "lessons/<int:pk>/audience/<int:request_id>/",
        views.audience_request_decide,
        name="audience_decide",
    ),
    path("lessons/<int:pk>/endorse/", views.lesson_endorse, name="endorse"),
    path(
        "lessons/<int:pk>/attachments/",
        attachment_views.attachment_upload,
        name="attachment_upload",
    ),
    path(
        "lessons/<int:pk>/attachments/<int:attachment_id>/",
        attachment_views.attachment_download,
        name="attachment",
    ),
    path(
        "lessons/<int:pk>/attachments/<int:attachment_id>/delete/",
        attachment_views.attachment_delete,
        name="attachment_delete",
    ),
    path("public/lessons/", public_views.public_lessons, name="public_list"),
    path("public/lessons/feed/", public_views.public_feed, name="public_feed"),
    path("public/lessons/<int:pk>/<slug:slug>/", public_views.public_lesson, name="public_detail"),
]
