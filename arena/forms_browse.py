from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Adoption, Report


class AdoptForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation that adopted it"), coerce=int)
    note = forms.CharField(
        label=_("What did you do? (optional)"), required=False,
        max_length=Adoption._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in organisations}
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Report.Reason.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000,
        help_text=_("Tell the moderators what is wrong."), widget=forms.Textarea(attrs={"rows": 4}),
    )
