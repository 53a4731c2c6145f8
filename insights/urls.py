from django.urls import path

from insights import views

app_name = "insights"

urlpatterns = [
    path("networks/<slug:slug>/insights/", views.dashboard, name="dashboard"),
    path("networks/<slug:slug>/insights/figures.csv", views.figures_csv, name="csv"),
]
