"""URL map of the whole site: pages, back office, REST API."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from kynangso.rest import api

admin.site.site_header = _("Kỹ Năng Số · Quản trị")
admin.site.site_title = _("Kỹ Năng Số")
admin.site.index_title = _("Quản trị hệ thống")

urlpatterns = [
    path("", include("kynangso.operations.urls")),  # /healthz, /readyz, /metrics
    path("quan-tri/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path(".well-known/", include("kynangso.credentials.well_known")),
    path("sat-hach/", include("kynangso.assessment.urls")),
    path("hoc/", include("kynangso.learning.urls")),
    path("chung-nhan/", include("kynangso.credentials.urls")),
    path("ke-hoach/", include("kynangso.plans.urls")),
    path("theo-doi/", include("kynangso.monitoring.urls")),
    path("khao-sat/", include("kynangso.survey.urls")),
    path("bao-cao/", include("kynangso.reports.urls")),
    path("tai-khoan/", include("kynangso.accounts.urls")),
    path("dang-nhap/", include("kynangso.oidc.urls")),  # sign-in with the identity provider
    path("xapi/", include("kynangso.integration.urls")),  # the statements resource for other platforms
    path("hoc-noi-khac/", include("kynangso.integration.page_urls")),
    path("", include("kynangso.web.urls")),
]
