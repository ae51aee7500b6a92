"""The campaign admin's jury additions: inviting jurors by e-mail and the default criteria."""

from django import forms
from django.contrib import messages
from django.core.validators import validate_email
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import jury


def _emails(value: str) -> list[str]:
    return [item for item in (part.strip() for part in value.replace(",", "\n").splitlines()) if item]


def clean_invite_jurors(value: str) -> list[str]:
    emails = _emails(value or "")
    invalid = []
    for email in emails:
        try:
            validate_email(email)
        except forms.ValidationError:
            invalid.append(email)
    if invalid:
        raise forms.ValidationError(_("Not an e-mail address: %(emails)s") % {"emails": ", ".join(invalid)})
    return emails


class InviteJurorsField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Invite jurors by e-mail"), required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("One address per line. Each becomes a juror of this campaign and gets an e-mail with "
                        "the link to the jury page; an account is created for an address that has none, "
                        "with a link to set a password."),
            **kwargs,
        )

    def clean(self, value):
        return clean_invite_jurors(super().clean(value))


class CampaignJuryAdminMixin:
    """For CampaignAdmin: an "invite jurors by e-mail" field and, for a new campaign saved without
    criteria, the three default criteria (inspiring, impact, transferability; 1–5)."""

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = type("CampaignJuryAdminForm", (kwargs.get("form", self.form),),
                              {"invite_jurors": InviteJurorsField()})
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        return fieldsets + [(_("Jury"), {"fields": ["invite_jurors"]})]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        campaign = form.instance
        if not change and jury.criteria_create_defaults(campaign=campaign):
            messages.info(request, gettext(
                "The default criteria (inspiring, impact, transferability; 1–5) were added. Edit them if needed."))
        for email in form.cleaned_data.get("invite_jurors") or []:
            _juror, created = jury.juror_invite(campaign=campaign, email=email)
            messages.success(request, (
                gettext("%(email)s was invited as a new user and appointed a juror.") if created
                else gettext("%(email)s was appointed a juror.")) % {"email": email})
