from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = _("Organisations and users")

    def ready(self):
        from . import signed_in  # noqa: F401, PLC0415 (connects the per-request memo and the user's token)
