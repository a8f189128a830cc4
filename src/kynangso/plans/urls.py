"""URLs of the plans pages (Vietnamese paths under /ke-hoach/)."""

from django.urls import path

from kynangso.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.index, name="index"),
    path("viec-cua-toi/", views.my_tasks, name="mine"),
    path("ky/<int:occurrence_id>/", views.occurrence_detail, name="occurrence"),
    path("minh-chung/<int:evidence_id>/", views.evidence_file, name="evidence"),
    path("nhap/", views.upload, name="upload"),
    path("nhap/mau.xlsx", views.upload_template, name="upload_template"),
    path("<int:plan_id>/", views.board, name="board"),
    path("<int:plan_id>/dong-thoi-gian/", views.timeline, name="timeline"),
    path("<int:plan_id>/xuat.xlsx", views.export, name="export"),
]
