from modeltranslation.translator import TranslationOptions, register

from .models import Sector, Theme


@register(Sector)
class SectorTranslation(TranslationOptions):
    fields = ("name",)
    fallback_languages = {"default": ("fi", "sv", "en")}


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name",)
    fallback_languages = {"default": ("fi", "sv", "en")}
