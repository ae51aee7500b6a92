from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArenaConfig(AppConfig):
    name = "arena"
    verbose_name = _("Development actions")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from orgs.models import Organisation, Region
        from orgs.pages import register_fragment_keeper, register_page_decorator
        from orgs.sections import register_organisation_section

        from .cache import COUNTS_TIMEOUT, TAXONOMY, cached_html, taxonomy_changed
        from .models import Sector, Theme
        from .selectors import organisation_actions_section, organisation_adoptions_section
        from .views_browse import organisation_list_page, organisation_page

        # The organisation page shows the actions of the organisation and the ones it adopted.
        register_organisation_section(organisation_actions_section)
        register_organisation_section(organisation_adoptions_section)
        # The public organisation pages are kept for anonymous visitors like arena's own.
        register_page_decorator("organisation-list", organisation_list_page)
        register_page_decorator("organisation-detail", organisation_page)
        # Its facts and member lists are the same for everyone: kept while the taxonomy stays as
        # edited (the employee counts, imported without a signal, lag like the anonymous page).
        register_fragment_keeper("organisation-facts", lambda key, render: cached_html(
            f"orgs:organisation-facts:{key}", render, scopes=[TAXONOMY], timeout=COUNTS_TIMEOUT))
        # What the admin edits without a service renews the `taxonomy` scope (arena/cache.py).
        for model in (Sector, Theme, Region, Organisation):
            post_save.connect(taxonomy_changed, sender=model, dispatch_uid=f"taxonomy-save-{model.__name__}")
            post_delete.connect(taxonomy_changed, sender=model, dispatch_uid=f"taxonomy-delete-{model.__name__}")
