"""Forms of the site's pages; they parse input only, the rules live in the apps' services."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from kynangso.errors import DomainError
from kynangso.people import api as people
from kynangso.tabular import check_upload_size


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo họ tên, số định danh hoặc số điện thoại"), required=False, max_length=100)
    unit = forms.TypedChoiceField(label=_("Đơn vị"), required=False, coerce=int, empty_value=None)
    group = forms.ChoiceField(label=_("Nhóm đối tượng"), required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Tất cả đơn vị"))] + [(u.id, u.name) for u in units]
        self.fields["group"].choices = [("", _("Tất cả nhóm"))] + list(people.TargetGroup.choices)


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp danh sách (.xlsx hoặc .csv)"))
    include_hidden = forms.BooleanField(
        label=_("Nhập cả dòng bị ẩn"),
        required=False,
        help_text=_("Mặc định, các dòng đang bị ẩn hoặc bị lọc trong Excel được bỏ qua và liệt kê để bạn kiểm tra."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
        try:
            check_upload_size(upload.size)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc
        return upload


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập, số điện thoại hoặc số định danh")
        self.fields["password"].label = _("Mật khẩu")
        self.error_messages["invalid_login"] = _(
            "Thông tin đăng nhập hoặc mật khẩu chưa đúng. Hãy kiểm tra lại; sau nhiều lần sai, tài khoản sẽ bị "
            "tạm khóa."
        )
