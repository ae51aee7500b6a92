"""The portal's URLs plus the baseline views at /bench/baseline and /bench/signed-in."""

from django.urls import path

from arena import urls as arena_urls

from .views import bench_baseline, bench_signed_in

urlpatterns = [
    path("bench/baseline", bench_baseline, name="bench-baseline"),
    path("bench/signed-in", bench_signed_in, name="bench-signed-in"),
    *arena_urls.urlpatterns,
]

handler400 = getattr(arena_urls, "handler400", "django.views.defaults.bad_request")
handler403 = getattr(arena_urls, "handler403", "django.views.defaults.permission_denied")
handler404 = getattr(arena_urls, "handler404", "django.views.defaults.page_not_found")
handler500 = getattr(arena_urls, "handler500", "django.views.defaults.server_error")
