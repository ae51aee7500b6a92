from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns and awards")

    def ready(self):
        from orgs.sections import register_organisation_section

        from .integration import extend_action_admin, register_action_list_filter, register_campaign_credit
        from .sections import organisation_awards_section

        # The organisation page shows the awards an organisation has won (published results only).
        register_organisation_section(organisation_awards_section)
        register_action_list_filter()
        extend_action_admin()
        from .privacy import register as register_personal_data

        register_personal_data()  # the jury's, nominators' and nominees' part of "Download my data"
        register_campaign_credit()
        # A campaign's categories (their shortlists, themes, sectors) and criteria decide its jury's
        # entries, kept under the campaign's scope: whatever saves them renews it (Django's signals).
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .models import AwardCategory, Criterion
        from .signals import campaign_part_changed

        for model in (AwardCategory, Criterion):
            post_save.connect(campaign_part_changed, sender=model, dispatch_uid=f"campaign-part-save-{model.__name__}")
            post_delete.connect(campaign_part_changed, sender=model,
                                dispatch_uid=f"campaign-part-delete-{model.__name__}")
        for field in ("shortlist", "themes", "sectors"):
            m2m_changed.connect(campaign_part_changed, sender=getattr(AwardCategory, field).through,
                                dispatch_uid=f"campaign-part-{field}")
