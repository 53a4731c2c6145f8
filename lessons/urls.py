from django.urls import path

from lessons import (
    discussion_views,
    moderation_views,
    notification_views,
    search_views,
    views,
)

app_name = "lessons"

urlpatterns = [
    path("networks/<slug:slug>/lessons/", views.network_lessons, name="network_list"),
    path("lessons/mine/", views.my_lessons, name="mine"),
    path("lessons/new/", views.lesson_create, name="create"),
    path("lessons/tags/", views.tag_suggestions, name="tag_suggestions"),
    path("lessons/<int:pk>/", views.lesson_detail, name="detail"),
    path("lessons/<int:pk>/edit/", views.lesson_edit, name="edit"),
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
    path("lessons/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path(
        "lessons/<int:pk>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "lessons/<int:pk>/attachments/<int:attachment_id>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("lessons/<int:pk>/flag/", moderation_views.flag, name="flag"),
    path("networks/<slug:slug>/moderation/", moderation_views.queue, name="moderation"),
    path(
        "networks/<slug:slug>/moderation/tags/merge/",
        moderation_views.merge_tags,
        name="moderation_merge_tags",
    ),
    path(
        "networks/<slug:slug>/moderation/lessons/<int:pk>/",
        moderation_views.item,
        name="moderation_item",
    ),
    path(
        "networks/<slug:slug>/moderation/lessons/<int:pk>/<slug:action>/",
        moderation_views.act,
        name="moderation_act",
    ),
    path(
        "networks/<slug:slug>/moderation/comments/<int:comment_id>/",
        moderation_views.comment_item,
        name="moderation_comment",
    ),
    path(
        "networks/<slug:slug>/moderation/comments/<int:comment_id>/<slug:action>/",
        moderation_views.comment_act,
        name="moderation_comment_act",
    ),
    path("networks/<slug:slug>/collections/", moderation_views.collections, name="collections"),
    path(
        "networks/<slug:slug>/collections/new/",
        moderation_views.collection_create,
        name="collection_create",
    ),
    path(
        "networks/<slug:slug>/collections/<slug:collection_slug>/",
        moderation_views.collection,
        name="collection",
    ),
    path(
        "networks/<slug:slug>/collections/<slug:collection_slug>/edit/",
        moderation_views.collection_edit,
        name="collection_edit",
    ),
    path("networks/<slug:slug>/briefs/", moderation_views.briefs, name="briefs"),
    path(
        "networks/<slug:slug>/briefs/<int:pk>.<slug:extension>",
        moderation_views.brief_download,
        name="brief_download",
    ),
    path(
        "public/collections/<int:pk>/<slug:slug>/",
        moderation_views.public_collection,
        name="public_collection",
    ),
    # The discussion, inside the home space only
    path("lessons/<int:pk>/comments/", discussion_views.comment_create, name="comment_create"),
    path(
        "lessons/<int:pk>/comments/<int:comment_id>/reply/",
        discussion_views.comment_create,
        name="comment_reply",
    ),
    path(
        "lessons/<int:pk>/comments/<int:comment_id>/edit/",
        discussion_views.comment_edit,
        name="comment_edit",
    ),
    path(
        "lessons/<int:pk>/comments/<int:comment_id>/delete/",
        discussion_views.comment_delete,
        name="comment_delete",
    ),
    path(
        "lessons/<int:pk>/comments/<int:comment_id>/history/",
        discussion_views.comment_history,
        name="comment_history",
    ),
    path(
        "lessons/<int:pk>/comments/<int:comment_id>/flag/",
        moderation_views.comment_flag,
        name="comment_flag",
    ),
    path(
        "lessons/<int:pk>/mentions/",
        discussion_views.mention_suggestions,
        name="mention_suggestions",
    ),
    path("lessons/<int:pk>/follow/", discussion_views.lesson_follow, name="follow"),
    # Notifications
    path("notifications/", notification_views.inbox, name="inbox"),
    path("notifications/read/", notification_views.notifications_read, name="notifications_read"),
    path(
        "notifications/settings/",
        notification_views.notification_settings,
        name="notification_settings",
    ),
    path("notifications/<int:pk>/", notification_views.notification_open, name="notification_open"),
    path(
        "notifications/unsubscribe/<str:token>/",
        notification_views.unsubscribe,
        name="unsubscribe",
    ),
    path("search/", search_views.search_page, name="search"),
    path("search/saved/", search_views.saved_searches, name="saved_searches"),
    path(
        "search/saved/<int:pk>/delete/",
        search_views.saved_search_delete,
        name="saved_search_delete",
    ),
    path("public/lessons/", views.public_lessons, name="public_list"),
    path("public/lessons/feed/", views.public_feed, name="public_feed"),
    path("public/lessons/<int:pk>/<slug:slug>/", views.public_lesson, name="public_detail"),
]
