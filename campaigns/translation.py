from modeltranslation.translator import TranslationOptions, register

from .models import AwardCategory, Campaign, Criterion


@register(Campaign)
class CampaignTranslation(TranslationOptions):
    fields = ("name", "description")
    fallback_languages = {"default": ("fi", "sv", "en")}


@register(AwardCategory)
class AwardCategoryTranslation(TranslationOptions):
    fields = ("name",)
    fallback_languages = {"default": ("fi", "sv", "en")}


@register(Criterion)
class CriterionTranslation(TranslationOptions):
    fields = ("name", "description")
    fallback_languages = {"default": ("fi", "sv", "en")}
