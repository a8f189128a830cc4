"""Pages of the reports app (Vietnamese paths, mounted at /bao-cao/)."""

from django.urls import path, register_converter

from kynangso.reports import views


class FormatConverter:
    regex = "xlsx|pdf"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "report_format")

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:report_id>/", views.detail, name="detail"),
    path("<int:report_id>/duyet/", views.approve, name="approve"),
    path("<int:report_id>/tra-lai/", views.return_to_unit, name="return"),
    path("<int:report_id>/tai-ve.<report_format:fmt>", views.download, name="download"),
    path("tong-hop/<int:province_id>/<int:year>/", views.province_status, name="province"),
    path(
        "tong-hop/<int:province_id>/<int:year>/tai-ve.<report_format:fmt>",
        views.province_download,
        name="province_download",
    ),
]
