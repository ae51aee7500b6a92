from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form gets on top of e-mail and password."""

    full_name = forms.CharField(label=_("Full name"), max_length=200, required=True,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        language = (get_language() or "fi")[:2]
        user.preferred_language = language if language in dict(settings.LANGUAGES) else "fi"
        user.save(update_fields=["full_name", "preferred_language"])
