from django import forms

from apps.conversations.models import ThreadStatus, Topic
from apps.conversations.selectors import InboxFilters


class InboxFilterForm(forms.Form):
    """The inbox filters; names are the public query-string contract (DESIGN.md)."""

    status = forms.ChoiceField(label="Status", required=False, choices=[("", "All"), *ThreadStatus.choices])
    topic = forms.ChoiceField(label="Topic", required=False, choices=[("", "All topics"), *Topic.choices])
    order = forms.CharField(label="Order number", required=False, max_length=19)
    q = forms.CharField(label="Search messages", required=False, max_length=200)
    unread = forms.BooleanField(label="Unread only", required=False)
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data=None, *args, **kwargs):
        # The query string says from=/to=; Python can't name a field "from".
        if data is not None:
            data = data.copy()
            for public, field in (("from", "date_from"), ("to", "date_to")):
                if public in data:
                    data[field] = data[public]
        super().__init__(data, *args, **kwargs)

    def filters(self) -> InboxFilters:
        if not self.is_valid():
            valid = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        else:
            valid = self.cleaned_data
        return InboxFilters(
            status=valid.get("status") or "",
            topic=valid.get("topic") or "",
            order=valid.get("order") or "",
            q=valid.get("q") or "",
            unread=bool(valid.get("unread")),
            date_from=valid.get("date_from"),
            date_to=valid.get("date_to"),
        )
