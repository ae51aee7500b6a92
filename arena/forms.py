"""Forms for writing a development action: the action's fields, its contact persons and
links (inline formsets) and one new image at a time."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import capfirst, format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from orgs.models import Membership, Organisation

from . import images
from .makers import MAKER_FIELDS, MAKERS_MAX
from .models import Action, ActionLink, ContactPerson, Maker
from .permissions import MODERATED_EDIT_STATES
from .services import CONTACT_FIELDS, LINK_FIELDS, REQUIRED_FOR_SUBMISSION

SUMMARY_MAX = Action._meta.get_field("summary").max_length


class FieldGroupMixin:
    """Labels without a trailing colon (required fields carry a " *" instead)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ActionForm(FieldGroupMixin, forms.ModelForm):
    """The action's own fields. A draft needs only a title; with `strict` every field a
    submission requires is checked too (sending for moderation, or editing an action
    that is already in moderation or public)."""

    class Meta:
        model = Action
        fields = [
            "title", "summary", "need", "solution", "results", "tips", "stage", "sectors", "themes",
            "organisation", "partners", "language", "consent_to_publish",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": SUMMARY_MAX}),
            "need": forms.Textarea(attrs={"rows": 6}),
            "solution": forms.Textarea(attrs={"rows": 8}),
            "results": forms.Textarea(attrs={"rows": 6}),
            "tips": forms.Textarea(attrs={"rows": 4}),
            "stage": forms.RadioSelect,
            "language": forms.RadioSelect,
            "sectors": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "partners": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "summary": _("At most 300 characters. Shown in lists and when the action is shared."),
            "need": _("Why was the action needed, and what did you want to achieve?"),
            "solution": _("What did you do, and how?"),
            "results": _("What came of it? Figures, feedback, experiences."),
            "tips": _("Advice for others who want to do the same (optional)."),
            "partners": _("Other organisations that took part (optional). Hold Ctrl or Cmd to choose several."),
            "language": _("The language the action is written in."),
            "consent_to_publish": _(
                "I agree that the action is published on Tekojen tori, and the people named on it agree too."
            ),
        }

    def __init__(self, *args, user, strict=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.strict = strict
        current = self.instance.organisation_id
        own = Q(memberships__user=user, memberships__status=Membership.Status.CONFIRMED)
        organisations = Organisation.objects.filter(own | Q(pk=current) if current else own).distinct()
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = _("Choose the organisation")
        if not current and self.instance.pk is None and len(organisations) == 1:
            self.initial["organisation"] = organisations[0].pk
        self.fields["partners"].queryset = Organisation.objects.active()
        self.fields["stage"].choices = Action.Stage.choices
        self.fields["language"].choices = Action.Language.choices
        self.fields["title"].widget.attrs["autocomplete"] = "off"
        for name in REQUIRED_FOR_SUBMISSION:
            if name != "title":
                self.fields[name].label = format_lazy("{} *", self.fields[name].label)
        # Once public, only KT staff move an action to another organisation (arena/moves.py).
        self.organisation_locked = self.instance.pk is not None and self.instance.status in MODERATED_EDIT_STATES
        if self.organisation_locked:
            self.fields["organisation"].disabled = True
            self.fields["organisation"].help_text = _(
                "Only KT staff can move a published action to another organisation.")

    def clean(self):
        cleaned = super().clean()
        if self.organisation_locked and self.is_bound:
            posted = self.data.get(self.add_prefix("organisation"))
            if posted is not None and posted != str(self.instance.organisation_id or ""):
                # A disabled field is not sent by a browser: this is a forged POST. Refuse it whole.
                self.add_error(None, _("Only KT staff can move a published action to another organisation."))
        if self.strict:
            for name in REQUIRED_FOR_SUBMISSION:
                value = cleaned.get(name)
                if isinstance(value, str):
                    value = value.strip()
                if name in self.errors or value:
                    continue
                if name == "consent_to_publish":
                    self.add_error(name, _("Give your consent to publish the action."))
                else:
                    self.add_error(name, _("This field is required before the action can be sent for moderation."))
        return cleaned


class ContactPersonForm(FieldGroupMixin, forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = CONTACT_FIELDS
        labels = {"public": _("This person agrees to be shown on the public page")}


class ActionLinkForm(FieldGroupMixin, forms.ModelForm):
    url = forms.URLField(
        label=capfirst(ActionLink._meta.get_field("url").verbose_name), max_length=500, assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    class Meta:
        model = ActionLink
        fields = LINK_FIELDS


ContactFormSet = forms.inlineformset_factory(
    Action, ContactPerson, form=ContactPersonForm, extra=1, can_delete=True, max_num=10, validate_max=True,
)
LinkFormSet = forms.inlineformset_factory(
    Action, ActionLink, form=ActionLinkForm, extra=2, can_delete=True, max_num=10, validate_max=True,
)


class MakerForm(FieldGroupMixin, forms.ModelForm):
    """One maker: the name, and the address and language their confirmation link is mailed to."""

    resend = forms.BooleanField(label=_("Send the link again"), required=False)

    class Meta:
        model = Maker
        fields = MAKER_FIELDS
        widgets = {"language": forms.Select}
        help_texts = {"email": _("The maker gets a link to confirm or remove their name. Until they confirm, "
                                 "their name is not shown publicly.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = Action.Language.choices
        self.fields["language"].label = _("Language of the e-mail")
        if not self.instance.pk:
            del self.fields["resend"]
            self.initial.setdefault("language", (get_language() or "fi")[:2])


# Empty rows to fill without JavaScript (a blank row is ignored).
MakerFormSet = forms.inlineformset_factory(
    Action, Maker, form=MakerForm, extra=3, can_delete=True, max_num=MAKERS_MAX, validate_max=True,
)


def maker_rows(formset) -> list[dict]:
    """The valid makers formset's rows for `makers.makers_save`: each maker's fields, its id and
    whether the link is to be sent again, without the deleted and empty rows."""
    return [
        {**{name: form.cleaned_data.get(name) for name in MAKER_FIELDS},
         "id": form.instance.pk, "resend": bool(form.cleaned_data.get("resend"))}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def formset_rows(formset, fields) -> list[dict]:
    """The filled-in rows of a valid formset, in order, without the deleted ones."""
    return [
        {name: form.cleaned_data.get(name) for name in fields}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class ImageUploadForm(FieldGroupMixin, forms.Form):
    """One new image with its alternative text. The upload is checked and re-encoded here,
    before anything is written to storage; the result waits in `self.processed`."""

    image = forms.FileField(
        label=_("Image file"), required=False,
        help_text=_("JPEG, PNG or WebP, at most 10 MB; a camera JPEG up to 52 megapixels, PNG up to 16 and WebP up to 5."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = forms.CharField(
        label=_("Alternative text"), required=False, max_length=250,
        help_text=_("Describe what the image shows, for people who cannot see it."),
    )

    def __init__(self, *args, existing_count=0, required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_count = existing_count
        self.required = required
        self.processed = None

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not upload:
            if self.required:
                raise ValidationError(_("Choose an image file to upload."))
            return upload
        if self.existing_count >= settings.ACTION_MAX_IMAGES:
            raise ValidationError(
                _("An action can have at most %(max)d images. Remove one first.") % {"max": settings.ACTION_MAX_IMAGES}
            )
        self.processed = images.process_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("image") and not (cleaned.get("alt_text") or "").strip():
            self.add_error("alt_text", _("Write an alternative text for the image."))
        return cleaned
