import re

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import Membership, Organisation, Region
from .selectors import organisation_choices_grouped

DOMAIN_RE = re.compile(r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form gets on top of e-mail and password."""

    full_name = forms.CharField(label=_("Full name"), max_length=200, required=True,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        language = (get_language() or "fi")[:2]
        user.preferred_language = language if language in dict(settings.LANGUAGES) else "fi"
        user.save(update_fields=["full_name", "preferred_language"])


class OrganisationFilterForm(forms.Form):
    """The directory's search and filters (GET)."""

    q = forms.CharField(label=_("Search by name"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    region = forms.ModelChoiceField(label=_("Region"), required=False, queryset=Region.objects.none(),
                                    empty_label=_("All regions"), to_field_name="code")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds"))] + [
            (value, str(label).capitalize()) for value, label in Organisation.Kind.choices
        ]
        language = (get_language() or "fi")[:2]
        self.fields["region"].queryset = Region.objects.order_by(f"name_{language}", "name_fi") \
            if language in dict(settings.LANGUAGES) else Region.objects.all()


class JoinForm(forms.Form):
    """Choosing the organisation the user works for."""

    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organisation"].choices = [("", _("Choose your organisation"))] + organisation_choices_grouped()

    def clean_organisation(self):
        organisation = Organisation.objects.active().filter(pk=self.cleaned_data["organisation"]).first()
        if organisation is None:
            raise forms.ValidationError(_("Choose an organisation from the list."))
        existing = Membership.objects.filter(user=self.user, organisation=organisation).first()
        if existing and existing.is_confirmed:
            raise forms.ValidationError(_("You are already a member of this organisation."))
        if existing:
            raise forms.ValidationError(
                _("Your request to join this organisation is already waiting for confirmation."))
        return organisation


class OrganisationEditForm(forms.Form):
    """What an organisation admin may change: the descriptions and the logo."""

    description_fi = forms.CharField(label=_("Description in Finnish"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 6, "lang": "fi"}), max_length=5000)
    description_sv = forms.CharField(label=_("Description in Swedish"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 6, "lang": "sv"}), max_length=5000)
    description_en = forms.CharField(label=_("Description in English"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 6, "lang": "en"}), max_length=5000)
    logo = forms.ImageField(label=_("Logo"), required=False,
                            help_text=_("PNG, JPEG or WebP, at most 2 MB. It is shown at most 200 pixels wide."),
                            widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}))
    clear_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    LOGO_MAX_BYTES = 2 * 1024 * 1024

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo:
            return None
        if logo.size > self.LOGO_MAX_BYTES:
            raise forms.ValidationError(_("The logo is too large: at most 2 MB."))
        if getattr(logo, "image", None) is not None and logo.image.format not in {"PNG", "JPEG", "WEBP"}:
            raise forms.ValidationError(_("Upload a PNG, JPEG or WebP image."))
        return logo


class EmailDomainForm(forms.Form):
    domain = forms.CharField(
        label=_("E-mail domain"), max_length=253,
        help_text=_("The part after @ in your employees' addresses, e.g. liminka.fi."),
    )
    verified = forms.BooleanField(
        label=_("Verified: confirm members with this domain at once"), required=False,
        help_text=_("Tick only if the domain is your organisation's own and every address on it "
                    "belongs to your employees. It is verified at once when one of your own confirmed "
                    "e-mail addresses is on it and no other organisation is known to use it; otherwise "
                    "KT staff check it first."),
    )

    def clean_domain(self):
        domain = self.cleaned_data["domain"].strip().lower().lstrip("@")
        if not DOMAIN_RE.match(domain):
            raise forms.ValidationError(_("Enter a domain such as liminka.fi."))
        return domain

    def clean(self):
        cleaned = super().clean()
        from .domains import PUBLIC_MAIL_DOMAINS

        if cleaned.get("verified") and cleaned.get("domain") in PUBLIC_MAIL_DOMAINS:
            self.add_error("verified", _("A public e-mail service cannot be a verified domain of an organisation."))
        return cleaned


class EmployeeCountUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("One line per organisation and year: code, year, employees (e.g. 425,2025,812). "
                    "UTF-8, comma or semicolon separated; a header line is allowed."),
    )

    MAX_BYTES = 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is too large: at most 1 MB."))
        return upload
