from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from home import views as home_views
from minilateral import views

# The admin signs in through allauth, so it gets the same rate limits and MFA.
admin.autodiscover()
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", home_views.home, name="home"),  # the landing page, or an official's home
    path("healthz", views.healthz, name="healthz"),
    path("hello/", views.hello, name="hello"),  # the benchmark's floor (bench/run.py)
    path("hello/visitor/", views.hello_visitor, name="hello_visitor"),  # the visitor's floor
    path("retention/", views.retention, name="retention"),
    path("", include("networks.account_urls")),
    path("", include("networks.urls")),
    path("", include("lessons.urls")),
    path("", include("discussion.urls")),
    path("", include("moderation.urls")),
    path("", include("notifications.urls")),
    path("", include("search.urls")),
    path("", include("questions.urls")),
    path("", include("insights.urls")),
    path("accounts/", include("networks.signup_urls")),  # before allauth's, which it replaces
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "minilateral.views.bad_request"
handler403 = "minilateral.views.permission_denied"
handler404 = "minilateral.views.page_not_found"
handler500 = "minilateral.views.server_error"
