"""allauth's sign-up page, in one transaction (networks/signup.py): at allauth's address and
under allauth's name, ahead of allauth's own URLs."""

from django.urls import path

from networks import signup

urlpatterns = [
    path("signup/", signup.signup, name="account_signup"),
]
