"""The nomination form ("nominate a hero of work") and the nominee's consent answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from arena.models import Action
from orgs.models import Organisation

from .nominations import JUSTIFICATION_MAX


class NominationForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Award category"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Name of the person"), max_length=200)
    job_title = forms.CharField(label=_("Job title"), max_length=200)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False,
        empty_label=_("Choose the organisation"),
    )
    organisation_name = forms.CharField(
        label=_("Organisation, if not in the list"), max_length=200, required=False,
    )
    email = forms.EmailField(
        label=_("E-mail address of the person"),
        help_text=_("We ask the person by e-mail whether they agree to be considered and named publicly."),
        error_messages={"invalid": _("Enter a valid e-mail address, such as etunimi.sukunimi@kunta.fi.")},
    )
    justification = forms.CharField(
        label=_("Justification"), max_length=JUSTIFICATION_MAX, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("How has the person developed their own and their workplace's way of working? "
                    "At most 2 000 characters. Seen by KT staff and the jury only."),
        error_messages={"required": _("Tell the jury why you nominate this person.")},
    )
    actions = forms.ModelMultipleChoiceField(
        label=_("Actions the person made (optional)"), queryset=Action.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, categories, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        if categories.count() == 1:
            self.fields["category"].initial = categories.first()
            self.fields["category"].widget = forms.HiddenInput()
        self.fields["organisation"].queryset = Organisation.objects.order_by("name_fi")
        self.fields["actions"].queryset = actions
        if not actions.exists():
            del self.fields["actions"]

    def clean_justification(self):
        value = self.cleaned_data["justification"].strip()
        if not value:
            raise forms.ValidationError(_("Tell the jury why you nominate this person."))
        return value

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("organisation") and not (cleaned.get("organisation_name") or "").strip():
            self.add_error("organisation", _("Choose the organisation, or write its name below."))
        return cleaned
