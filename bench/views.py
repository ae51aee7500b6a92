from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def bench_baseline(request):
    """What this machine can do with Django at all: the whole middleware stack, no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def bench_signed_in(request):
    """The floor of every logged-in page: the same, plus Django's stock authentication (the
    `cached_db` session from the cache, the user from the database: one query). 403 when not
    logged in."""
    if not request.user.is_authenticated:
        return HttpResponse("not logged in", content_type="text/plain", status=403)
    return HttpResponse("ok", content_type="text/plain")
