from modeltranslation.translator import TranslationOptions, register

from .models import Organisation, Region


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)
    fallback_languages = {"default": ("fi", "sv", "en")}


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "description")
    fallback_languages = {"default": ("fi", "sv", "en")}
