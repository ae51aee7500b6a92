"""Receivers that keep the cache scopes true when a campaign's parts are saved without a service."""

from arena.cache import campaign_scope, changed


def campaign_part_changed(sender, instance, **kwargs) -> None:
    """`post_save`/`post_delete` of an award category or a criterion, `m2m_changed` of a category's
    shortlist, themes or sectors (from either side): renews the campaign's scope (its jury's
    entries, its pages)."""
    action = kwargs.get("action")
    if action is None:  # post_save / post_delete
        campaign_ids = {instance.campaign_id}
    elif not kwargs.get("reverse"):  # category.shortlist.add(…)
        if action.startswith("pre_"):
            return
        campaign_ids = {instance.campaign_id}
    else:  # action.shortlisted_in.add(…): the categories are the other side
        if action not in ("post_add", "post_remove", "pre_clear"):
            return
        from .models import AwardCategory

        side = instance._meta.model_name
        ids = kwargs.get("pk_set") or sender.objects.filter(**{side: instance.pk}).values_list(
            "awardcategory_id", flat=True)
        campaign_ids = set(AwardCategory.objects.filter(pk__in=list(ids)).values_list("campaign_id", flat=True))
    changed(*(campaign_scope(pk) for pk in campaign_ids if pk is not None))
