from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from . import api, views, views_browse, views_errors

# The admin has no login form of its own: /admin/login/ sends people to the portal's login
# (allauth), so rate limits and two-step verification apply to the admin too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views_errors.healthz, name="healthz"),
    # The admin speaks the staff member's language (cookie / Accept-Language), without a prefix.
    path("admin/", admin.site.urls),
    path("api/actions.json", api.actions_json, name="api-actions-json"),
    path("api/actions.csv", api.actions_csv, name="api-actions-csv"),
]

urlpatterns += i18n_patterns(
    path("", views_browse.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("accounts/", include("allauth.urls")),
    path("", include("campaigns.urls")),  # its pages under one "campaigns/" branch: others skip it at once
    path("", include("orgs.urls")),
    path("", include("arena.action_urls")),
    prefix_default_language=True,
)

if settings.SERVE_MEDIA:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler404 = "arena.views_errors.not_found"
handler500 = "arena.views_errors.server_error"
