from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def bench_baseline(request):
    """What this machine can do with Django at all: the whole middleware stack, no database, no template."""
    return HttpResponse("ok", content_type="text/plain")
