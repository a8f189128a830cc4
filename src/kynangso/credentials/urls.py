"""Pages of the credentials app, under /chung-nhan/."""

from django.urls import path

from kynangso.credentials import views

app_name = "credentials"
urlpatterns = [
    path("", views.check, name="check"),
    path("cua-toi/", views.mine, name="mine"),
    path("quan-ly/", views.manage, name="manage"),
    path("xuat/", views.export, name="export"),
    path("xuat/<int:export_id>/tai-lai/", views.reexport, name="reexport"),
    path("trang-thai/<int:list_number>/", views.status_list, name="status_list"),
    path("thanh-tich/<str:kind>/<str:code>/", views.achievement, name="achievement"),
    path("thanh-tich/<str:kind>/<str:code>/huy-hieu.svg", views.achievement_image, name="achievement_image"),
    path("nang-luc/<str:framework_code>/<str:code>/", views.competence, name="competence"),
    path("<uuid:public_id>/", views.verify, name="verify"),
    path("<uuid:public_id>/pdf/", views.certificate_pdf, name="pdf"),
    path("<uuid:public_id>/json/", views.certificate_json, name="json"),
    path("<uuid:public_id>/thu-hoi/", views.revoke, name="revoke"),
]
