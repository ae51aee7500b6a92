"""The site's health check and its error pages: 404, 500 and the friendly 503 that a database or
Redis outage gets instead of a 500 (`handler404`/`handler500` in arena/urls.py)."""

import sys

import redis
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """handler500. Django calls it inside the `except` for an exception raised anywhere in the
    middleware or a view, so a database or a Redis cache that is down or restarting (even when the
    session or authentication middleware meets it first) gets the 503 page instead of the 500 one."""
    if _database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    return render(request, "500.html", status=500)


# The database, or the Redis cache (RedisCache) with its sessions, cannot be reached: both pass
# by themselves (each worker reconnects on its next request), so the visitor is asked to retry.
DATABASE_DOWN_ERRORS = (OperationalError, InterfaceError, redis.exceptions.ConnectionError,
                        redis.exceptions.TimeoutError)
RETRY_AFTER_SECONDS = 10


def _database_unavailable(error) -> bool:
    """Whether the error (or one it was raised from) says the database cannot be reached."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, DATABASE_DOWN_ERRORS):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def service_unavailable(request):
    """The friendly 503 page. It touches nothing but the templates: no database, no context
    processors (rendered without the request), the language taken from the URL, cookie or
    browser."""
    language = translation.get_language_from_request(request, check_path=True)
    with translation.override(language):
        body = render_to_string("503.html", {
            "LANGUAGE_CODE": translation.get_language(), "retry_after": RETRY_AFTER_SECONDS,
            "home_url": f"/{translation.get_language()}/",
        })
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
