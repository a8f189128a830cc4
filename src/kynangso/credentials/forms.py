"""Forms of the certificate pages; they parse input only, the rules live in the services."""
import json

from django import forms
from django.utils.translation import gettext_lazy as _

from kynangso.credentials.models import NationalExport

MAX_CREDENTIAL_BYTES = 256 * 1024


class CheckForm(forms.Form):
    """A certificate to verify, pasted as JSON text or uploaded as a .json file."""

    text = forms.CharField(label=_("Dán nội dung chứng nhận (JSON)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
                           max_length=MAX_CREDENTIAL_BYTES)
    file = forms.FileField(label=_("Hoặc chọn tệp chứng nhận (.json)"), required=False)

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), (cleaned.get("text") or "").strip()
        if upload:
            if upload.size > MAX_CREDENTIAL_BYTES:
                raise forms.ValidationError(_("Tệp quá lớn để là một chứng nhận (tối đa 256 KB)."))
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("Tệp không phải văn bản UTF-8.")) from None
        if not text:
            raise forms.ValidationError(_("Hãy dán nội dung chứng nhận hoặc chọn một tệp."))
        try:
            cleaned["document"] = json.loads(text)
        except json.JSONDecodeError:
            raise forms.ValidationError(_("Nội dung không phải JSON hợp lệ: chứng nhận bị hỏng hoặc không phải "
                                          "chứng nhận số.")) from None
        return cleaned


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Lý do thu hồi"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("Hãy ghi lý do thu hồi.")})


class ExportForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int)
    period_start = forms.DateField(label=_("Đạt chuẩn từ ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("đến ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    file_format = forms.ChoiceField(label=_("Định dạng tệp"), choices=NationalExport.Format.choices)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(unit.id, f"{unit.name} ({unit.code})") for unit in units]
