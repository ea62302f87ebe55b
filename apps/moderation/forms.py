from django import forms

from apps.accounts.models import MessagingStanding
from apps.conversations.models import Source
from apps.policy import CATEGORIES

from .models import RejectReason, ReportReason, ReviewItem
from .selectors import QueueFilters


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("waiting", "Waiting (open and escalated)"), *ReviewItem.Status.choices],
    )
    kind = forms.ChoiceField(
        label="Why it is here", required=False, choices=[("", "Held or reported"), *ReviewItem.Kind.choices]
    )
    category = forms.ChoiceField(
        label="Category",
        required=False,
        choices=[("", "Any category")] + [(c, c.replace("_", " ")) for c in CATEGORIES],
    )
    seller = forms.UUIDField(label="Seller id", required=False)
    source = forms.ChoiceField(
        label="Source", required=False, choices=[("", "Web or email"), *Source.choices[:2]]
    )
    older_than_hours = forms.IntegerField(label="Waiting at least (hours)", required=False, min_value=0)

    def filters(self) -> QueueFilters:
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return QueueFilters(
            status=data.get("status") or "waiting",
            kind=data.get("kind") or "",
            category=data.get("category") or "",
            seller=str(data["seller"]) if data.get("seller") else "",
            source=data.get("source") or "",
            older_than_hours=data.get("older_than_hours"),
        )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label="Reason", choices=[("", "Choose a reason"), *RejectReason.choices])
    note = forms.CharField(
        label="Note to the sender (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Note", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class EscalateForm(forms.Form):
    note = forms.CharField(label="Why escalate", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class BulkForm(forms.Form):
    action = forms.ChoiceField(choices=[("release", "Release"), ("reject", "Reject")])
    items = forms.TypedMultipleChoiceField(coerce=int, choices=[])
    reason = forms.ChoiceField(
        label="Reason (for rejections)",
        required=False,
        choices=[("", "Choose a reason"), *RejectReason.choices],
    )
    note = forms.CharField(label="Note", required=False, max_length=500)
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id is acceptable to the form: the service skips what is missing or decided.
        ids = self.data.getlist("items") if hasattr(self.data, "getlist") else []
        self.fields["items"].choices = [(value, value) for value in ids]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "reject" and not cleaned.get("reason"):
            self.add_error("reason", "Choose a reason for the rejections.")
        return cleaned


class StandingForm(forms.Form):
    standing = forms.ChoiceField(label="Messaging standing", choices=MessagingStanding.choices)
    days = forms.IntegerField(label="Restrict for (days)", required=False, min_value=1, max_value=365)
    reason = forms.CharField(label="Reason", max_length=300)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("standing") == MessagingStanding.RESTRICTED and not cleaned.get("days"):
            self.add_error("days", "Say for how many days messaging is restricted.")
        return cleaned


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong with this message?", widget=forms.RadioSelect, choices=ReportReason.choices
    )
    note = forms.CharField(
        label="Anything else we should know (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
