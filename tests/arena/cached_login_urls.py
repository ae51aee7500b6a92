"""A URLconf for one test: the login form (it holds a CSRF token) behind the public page cache."""

from allauth.account.views import LoginView
from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from arena.cache import public_page
from arena.urls import urlpatterns as portal

urlpatterns = [
    *portal,
    *i18n_patterns(path("login/", public_page(lambda request: ["test"])(LoginView.as_view()), name="cached-login")),
]
