from django.urls import path

from moderation import bulk_views, curation_views, views

app_name = "moderation"

urlpatterns = [
    path("lessons/<int:pk>/flag/", views.flag, name="flag"),
    path("networks/<slug:slug>/moderation/", views.queue, name="queue"),
    path("networks/<slug:slug>/moderation/several/", bulk_views.confirm, name="bulk"),
    path(
        "networks/<slug:slug>/moderation/tags/merge/",
        views.merge_tags,
        name="merge_tags",
    ),
    path(
        "networks/<slug:slug>/moderation/lessons/<int:pk>/",
        views.item,
        name="item",
    ),
    path(
        "networks/<slug:slug>/moderation/lessons/<int:pk>/<slug:action>/",
        views.act,
        name="act",
    ),
    path(
        "networks/<slug:slug>/moderation/comments/<int:comment_id>/",
        views.comment_item,
        name="comment",
    ),
    path(
        "networks/<slug:slug>/moderation/comments/<int:comment_id>/<slug:action>/",
        views.comment_act,
        name="comment_act",
    ),
    path("networks/<slug:slug>/collections/", curation_views.collections, name="collections"),
    path(
        "networks/<slug:slug>/collections/new/",
        curation_views.collection_create,
        name="collection_create",
    ),
    path(
        "networks/<slug:slug>/collections/<slug:collection_slug>/",
        curation_views.collection,
        name="collection",
    ),
    path(
        "networks/<slug:slug>/collections/<slug:collection_slug>/edit/",
        curation_views.collection_edit,
        name="collection_edit",
    ),
    path("networks/<slug:slug>/briefs/", curation_views.briefs, name="briefs"),
    path(
        "networks/<slug:slug>/briefs/<int:pk>.<slug:extension>",
        curation_views.brief_download,
        name="brief_download",
    ),
    path(
        "public/collections/<int:pk>/<slug:slug>/",
        curation_views.public_collection,
        name="public_collection",
    ),
    path(
        "lessons/<int:pk>/comments/<int:comment_id>/flag/",
        views.comment_flag,
        name="comment_flag",
    ),
]
