from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns and awards")

    def ready(self):
        from orgs.sections import register_organisation_section

        from .integration import extend_action_admin, register_action_list_filter
        from .sections import organisation_awards_section

        # The organisation page shows the awards an organisation has won (published results only).
        register_organisation_section(organisation_awards_section)
        register_action_list_filter()
        extend_action_admin()
