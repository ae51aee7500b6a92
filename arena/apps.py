from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArenaConfig(AppConfig):
    name = "arena"
    verbose_name = _("Development actions")

    def ready(self):
        from orgs.sections import register_organisation_section

        from .selectors import organisation_actions_section, organisation_adoptions_section

        # The organisation page shows the actions of the organisation and the ones it adopted.
        register_organisation_section(organisation_actions_section)
        register_organisation_section(organisation_adoptions_section)
