from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns and awards")

    def ready(self):
        # The organisation page shows the awards an organisation has won (published results only).
        # The section registry belongs to orgs; without it there is simply no section.
        try:
            from orgs.sections import register_organisation_section
        except ImportError:
            return
        from .sections import organisation_awards_section

        register_organisation_section(organisation_awards_section)
