"""Forms of the jury pages: the review (a score per criterion and a comment) and the list filters."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

CRITERION_FIELD = re.compile(r"^criterion_(\d+)$")


def criterion_field_name(criterion) -> str:
    return f"criterion_{criterion.pk}"


class ReviewForm(forms.Form):
    """One radio group per criterion (its scale) and a comment.

    Only what was sent changes: a criterion left unanswered keeps its saved score, so an
    autosave of one change never clears the others. A field for a criterion of another
    campaign is refused rather than ignored.
    """

    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Visible to the jury chair and KT staff only."),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        fields = {}
        for criterion in self.criteria:
            fields[criterion_field_name(criterion)] = forms.TypedChoiceField(
                label=criterion.name, required=False, coerce=int, empty_value=None,
                choices=[(value, str(value)) for value in range(criterion.scale_min, criterion.scale_max + 1)],
                widget=forms.RadioSelect, help_text=criterion.description,
                error_messages={"invalid_choice": _("Choose a score from %(low)s to %(high)s.") % {
                    "low": criterion.scale_min, "high": criterion.scale_max}},
            )
        self.fields = {**fields, "comment": self.fields["comment"]}

    def criterion_fields(self):
        """(criterion, bound field) pairs in the criteria's order, for the template."""
        return [(criterion, self[criterion_field_name(criterion)]) for criterion in self.criteria]

    def clean(self):
        cleaned = super().clean()
        if self.is_bound:
            known = {criterion_field_name(criterion) for criterion in self.criteria}
            if any(CRITERION_FIELD.match(key) and key not in known for key in self.data):
                raise forms.ValidationError(
                    _("A score was given for a criterion that does not belong to this campaign."),
                    code="unknown_criterion",
                )
        return cleaned

    def scores(self) -> dict:
        """Criterion id → score (None clears it) for the criteria that were sent."""
        return {
            criterion.pk: self.cleaned_data.get(criterion_field_name(criterion))
            for criterion in self.criteria if criterion_field_name(criterion) in self.data
        }

    def comment_value(self):
        return self.cleaned_data.get("comment", "") if "comment" in self.data else None


class EntryFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("", _("All entries")),
        ("todo", _("Not yet scored")),
        ("partial", _("Partly scored")),
        ("complete", _("Scored")),
    ]

    status = forms.ChoiceField(label=_("Scoring"), choices=STATUS_CHOICES, required=False)
    category = forms.TypedChoiceField(label=_("Award category"), coerce=int, empty_value=None, required=False)
    sector = forms.TypedChoiceField(label=_("Sector"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args, categories, sectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories"))] + [(c.pk, c.name) for c in categories]
        self.fields["sector"].choices = [("", _("All sectors"))] + [(s.pk, s.name) for s in sectors]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {
            "status": self.cleaned_data.get("status") or "",
            "category_id": self.cleaned_data.get("category"),
            "sector_id": self.cleaned_data.get("sector"),
        }
