"""URLs of the exam pages (Vietnamese paths)."""

from django.urls import path

from kynangso.assessment import bank_views, views

app_name = "assessment"
urlpatterns = [
    path("", views.my_standards, name="mine"),
    path("ho-tro/", views.assist, name="assist"),
    path("ngan-hang/phan-tich/", bank_views.item_analysis, name="item_analysis"),
    path("ngan-hang/nhap/", bank_views.import_items, name="import_items"),
    path("ngan-hang/do-tin-cay/", bank_views.validity_index, name="validity_index"),
    path("ngan-hang/do-tin-cay/<str:code>/", bank_views.validity_report, name="validity_report"),
    path("chuan/<str:code>/bat-dau/", views.start, name="start"),
    path("bai-thi/<int:attempt_id>/", views.attempt_page, name="attempt"),
    path("bai-thi/<int:attempt_id>/cau/<int:position>/", views.save, name="save"),
    path("bai-thi/<int:attempt_id>/cau-tiep/", views.advance, name="advance"),
    path("bai-thi/<int:attempt_id>/xem-lai/", views.review, name="review"),
    path("bai-thi/<int:attempt_id>/nop-bai/", views.submit, name="submit"),
    path("bai-thi/<int:attempt_id>/ket-qua/", views.result, name="result"),
]
