import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arena.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402

if settings.SEARCH_WARM_UP:
    from arena.search import warm_up

    warm_up()
