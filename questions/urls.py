from django.urls import path

from questions import moderation_views, views

app_name = "questions"

urlpatterns = [
    path("networks/<slug:slug>/questions/", views.network_questions, name="network_list"),
    path(
        "networks/<slug:slug>/groups/<slug:group_slug>/questions/",
        views.network_questions,
        name="group_list",
    ),
    path("questions/ask/", views.question_ask, name="ask"),
    path("questions/<int:pk>/", views.question_detail, name="detail"),
    path("questions/<int:pk>/edit/", views.question_edit, name="edit"),
    path("questions/<int:pk>/close/", views.question_close, name="close"),
    path("questions/<int:pk>/withdraw/", views.question_withdraw, name="withdraw"),
    path("questions/<int:pk>/mute/", views.question_mute, name="mute"),
    path("questions/<int:pk>/lesson/", views.question_to_lesson, name="to_lesson"),
    path("questions/<int:pk>/answers/", views.answer_create, name="answer_create"),
    path(
        "questions/<int:pk>/answers/<int:answer_id>/reply/",
        views.answer_create,
        name="answer_reply",
    ),
    path(
        "questions/<int:pk>/answers/<int:answer_id>/edit/",
        views.answer_edit,
        name="answer_edit",
    ),
    path(
        "questions/<int:pk>/answers/<int:answer_id>/history/",
        views.answer_history,
        name="answer_history",
    ),
    path(
        "questions/<int:pk>/answers/<int:answer_id>/helpful/",
        views.answer_helpful,
        name="answer_helpful",
    ),
    path(
        "questions/<int:pk>/answers/<int:answer_id>/flag/",
        moderation_views.answer_flag,
        name="answer_flag",
    ),
    path(
        "networks/<slug:slug>/moderation/answers/<int:answer_id>/",
        moderation_views.answer_moderate,
        name="answer_moderate",
    ),
    path(
        "networks/<slug:slug>/moderation/answers/<int:answer_id>/<slug:action>/",
        moderation_views.answer_act,
        name="answer_act",
    ),
]
