from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/read/", views.notifications_read, name="read"),
    path(
        "notifications/settings/",
        views.notification_settings,
        name="settings",
    ),
    path("notifications/<int:pk>/", views.notification_open, name="open"),
    path(
        "notifications/unsubscribe/<str:token>/",
        views.unsubscribe,
        name="unsubscribe",
    ),
]
