"""The composer's forms, shared by the buyer's and the seller's pages."""

from django import forms
from django.core.exceptions import ValidationError

from .attachments import AttachmentsRejected, clean_attachments, read_uploaded_files
from .models import ImportantReason, ProactiveReason, SavedTemplate, Side, Topic
from .services import MAX_BODY_CHARS, check_draft
from .templates_rendering import PLACEHOLDERS, unknown_placeholders


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Message",
        required=False,
        max_length=MAX_BODY_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = MultipleFileField(
        label="Attachments",
        required=False,
        help_text="Up to 5 files, 10 MB in all: PDF, JPEG, PNG or Word (DOCX).",
    )

    def __init__(self, *args, upload_refused: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_refused = upload_refused

    def clean_attachments(self):
        if self.upload_refused:
            raise ValidationError(self.upload_refused)
        files = self.cleaned_data.get("attachments") or []
        try:
            accepted, refused = clean_attachments(read_uploaded_files(files))
        except AttachmentsRejected as rejected:
            raise ValidationError(rejected.reasons) from None
        if refused:
            raise ValidationError([str(reason) for reason in refused])
        return accepted

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("body") or "").strip() and not cleaned.get("attachments") and not self.errors:
            raise ValidationError("Write a message or attach a file.")
        return cleaned


class ContactSellerForm(MessageForm):
    topic = forms.ChoiceField(label="Topic", choices=[("", "Choose a topic"), *Topic.choices])

    field_order = ["topic", "body", "attachments"]


class DraftCheckForm(forms.Form):
    body = forms.CharField(required=False, strip=False)


class ProactiveMessageForm(MessageForm):
    reason = forms.ChoiceField(
        label="Reason",
        required=False,
        choices=[("", "Choose why you are writing"), *ProactiveReason.choices],
    )
    important = forms.ChoiceField(
        label="Mark as Important",
        required=False,
        choices=[("", "No, an ordinary message"), *ImportantReason.choices],
        help_text="Only for product safety, recalls or critical warranty information. "
        "Important messages reach buyers who opted out of seller messages.",
    )

    field_order = ["reason", "important", "body", "attachments"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("reason") and not cleaned.get("important"):
            self.add_error("reason", "Choose the order-related reason for your message.")
        return cleaned


class SavedTemplateForm(forms.ModelForm):
    class Meta:
        model = SavedTemplate
        fields = ["name", "body"]
        labels = {"name": "Name", "body": "Template text"}
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = SavedTemplate.objects.filter(seller=self.instance.seller, name__iexact=name).exclude(
            pk=self.instance.pk
        )
        if others.exists():
            raise ValidationError("You already have a template with this name.")
        return name

    def clean_body(self):
        body = self.cleaned_data["body"]
        unknown = unknown_placeholders(body)
        if unknown:
            known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
            raise ValidationError(f"Unknown placeholder(s): {', '.join(unknown)}. You can use {known}.")
        verdict = check_draft(text=body, side=Side.SELLER)
        if verdict.action in ("block", "hold"):
            raise ValidationError(
                "This template breaks the messaging rules: " + "; ".join(verdict.reasons()) + "."
            )
        return body
