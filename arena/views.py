from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


def accessibility(request):
    return render(request, "arena/accessibility.html")


def privacy(request):
    return render(request, "arena/privacy.html")


@never_cache
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def action_detail(request, pk, slug):
    from django.shortcuts import get_object_or_404, redirect

    from .models import Action

    action = get_object_or_404(Action.objects.published().select_related("organisation"), pk=pk)
    if slug != action.slug:
        return redirect(action, permanent=True)
    return render(request, "arena/action_detail.html", {"action": action})
