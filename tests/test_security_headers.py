"""Security headers and cookie flags on one page of every kind, under the production settings.

The production values are read from `arena/settings.py` itself, imported in a subprocess with a
production environment (the test settings switch the secure cookies and the HTTPS redirect off).
"""

import json
import os
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import (
    ActionFactory, ActionImageFactory, CampaignFactory, MembershipFactory, OrganisationFactory, UserFactory,
)
from tests.test_deploy_settings import BASE_DIR, PRODUCTION, TEST_ONLY_VARIABLES

pytestmark = pytest.mark.django_db

SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT", "SECURE_REDIRECT_EXEMPT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY", "X_FRAME_OPTIONS", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE",
    "LANGUAGE_COOKIE_SECURE", "LANGUAGE_COOKIE_SAMESITE", "CONTENT_SECURITY_POLICY", "PERMISSIONS_POLICY",
]
TWO_YEARS = 2 * 365 * 24 * 3600


@pytest.fixture(scope="session")
def production_security_settings():
    """The security settings as production has them (arena.settings under a production environment)."""
    code = ("import json; from django.conf import settings as s; "
            f"print(json.dumps({{k: getattr(s, k) for k in {SECURITY_SETTINGS!r}}}, default=list))")
    env = {**{k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}, **PRODUCTION,
           "DJANGO_SETTINGS_MODULE": "arena.settings"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=BASE_DIR)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def production(settings, production_security_settings):
    for name, value in production_security_settings.items():
        setattr(settings, name, value)
    settings.WHITENOISE_USE_FINDERS = True  # production serves collected files; the tests find them
    return settings


@pytest.fixture
def site(db):
    organisation = OrganisationFactory()
    member = MembershipFactory(organisation=organisation).user
    action = ActionFactory(organisation=organisation, author=member)
    image = ActionImageFactory(action=action)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    return {"member": member, "superuser": superuser, "action": action, "image": image,
            "organisation": organisation, "campaign": CampaignFactory()}


# kind → (who is signed in, URL, expected status)
PAGES = {
    "public HTML page": (None, lambda s: reverse("home"), 200),
    "action page": (None, lambda s: s["action"].get_absolute_url(), 200),
    "signed-in page": ("member", lambda s: reverse("arena:my-actions"), 200),
    "form page": ("member", lambda s: reverse("arena:action-create"), 200),
    "admin changelist": ("superuser", lambda s: reverse("admin:arena_sector_changelist"), 200),
    "admin login": (None, lambda s: reverse("admin:login"), 302),  # to the portal's login
    "allauth login": (None, lambda s: reverse("account_login"), 200),
    "allauth password reset": (None, lambda s: reverse("account_reset_password"), 200),
    "JSON API": (None, lambda s: reverse("api-actions-json"), 200),
    "CSV": (None, lambda s: reverse("api-actions-csv"), 200),
    "Atom feed": (None, lambda s: reverse("arena:action-feed"), 200),
    "404 page": (None, lambda s: "/fi/no-such-page/", 404),
    "403 page": ("member", lambda s: reverse("orgs:organisation-edit", args=[s["organisation"].slug]), 403),
    "plain-text 403": (None, lambda s: reverse("campaigns:campaign-results-csv", args=[s["campaign"].slug]), 403),
    "redirect to login": (None, lambda s: reverse("arena:my-actions"), 302),
    "media file": (None, lambda s: s["image"].image.url, 200),
    "static file": (None, lambda s: "/static/css/site.css", 200),
    "healthz": (None, lambda s: reverse("healthz"), 200),
}


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in filter(None, (p.strip() for p in header.split(";"))):
        name, *values = part.split()
        directives[name] = values
    return directives


def get(site, role, path):
    client = Client()
    if role:
        client.force_login(site[role])
    return client.get(path, secure=True)


@pytest.mark.parametrize("kind", PAGES)
def test_security_headers_on_every_kind_of_page(production, site, kind):
    role, path, status = PAGES[kind]
    response = get(site, role, path(site))
    assert response.status_code == status

    header = response.headers.get("Content-Security-Policy", "")
    csp = csp_directives(header)
    assert csp.get("default-src") == ["'none'"]
    assert "'self'" in csp.get("script-src", []) and "'self'" in csp.get("style-src", [])
    assert "unsafe-inline" not in header and "unsafe-eval" not in header and "*" not in header.split()
    assert csp.get("frame-ancestors") == ["'none'"]
    assert csp.get("base-uri") == ["'none'"]
    assert csp.get("form-action") == ["'self'"]

    hsts = response["Strict-Transport-Security"]
    assert int(hsts.split("max-age=")[1].split(";")[0]) >= TWO_YEARS
    assert "includeSubDomains" in hsts
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    assert all(f"{feature}=()" in policy for feature in ("camera", "microphone", "geolocation"))


def test_cached_public_page_keeps_its_headers(production, site):
    production.PUBLIC_CACHE = True
    path = reverse("arena:action-list")
    first, second = Client().get(path, secure=True), Client().get(path, secure=True)
    assert second.headers.get("X-Page-Cache") == "hit"
    for name in ("Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options",
                 "Referrer-Policy", "Cross-Origin-Opener-Policy", "Permissions-Policy"):
        assert second[name] == first[name]


def test_plain_http_is_redirected_to_https_except_healthz(production, site):
    response = Client().get(reverse("home"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert Client().get(reverse("healthz")).status_code == 200


def test_session_and_csrf_cookies_are_secure_httponly_and_lax(production, site):
    client = Client()
    page = client.get(reverse("account_login"), secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"

    response = client.post(reverse("account_login"), {"login": site["member"].email,
                                                      "password": "correct horse battery"}, secure=True)
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_language_cookie_is_secure(production, site):
    response = Client().post(reverse("set_language"), {"language": "sv", "next": "/sv/"}, secure=True)
    cookie = response.cookies["django_language"]
    assert cookie["secure"] and cookie["samesite"] == "Lax"


def test_pages_are_not_framed(production, site):
    assert Client().get(reverse("home"), secure=True)["X-Frame-Options"] == "DENY"
