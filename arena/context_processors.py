from django.conf import settings


def portal(request):
    return {"SITE_URL": settings.SITE_URL, "DEBUG": settings.DEBUG}
