"""Pages of the learning app (Vietnamese paths under /hoc/)."""

from django.urls import path

from kynangso.learning import views

app_name = "learning"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("lo-trinh/", views.learning_path, name="path"),
    path("lo-trinh/nguoi/<int:person_id>/", views.learning_path_of, name="path_of"),
    path("ghi-danh-nhom/", views.group_enrol, name="group_enrol"),
    path("ho-tro/", views.assist_start, name="assist"),
    path("ho-tro/ket-thuc/", views.assist_end, name="assist_end"),
    path("khoa/<slug:code>/", views.course_page, name="course"),
    path("khoa/<slug:code>/ghi-danh/", views.enrol, name="enrol"),
    path("khoa/<slug:code>/tai-ve/goi-common-cartridge.imscc", views.cartridge_download, name="cartridge"),
    path("khoa/<slug:code>/tai-ve/tai-lieu-in.pdf", views.handout_download, name="handout"),
    path("khoa/<slug:code>/bai/<int:lesson_id>/", views.lesson_page, name="lesson"),
    path("khoa/<slug:code>/bai/<int:lesson_id>/luyen-tap/<int:version_id>/", views.practice_answer, name="practice"),
    path("lop/", views.class_list, name="classes"),
    path("lop/<int:class_id>/diem-danh/", views.attendance, name="attendance"),
    path("lop/<int:class_id>/nhap-diem-danh/", views.attendance_import, name="attendance_import"),
    path("lop/<int:class_id>/mau-diem-danh.xlsx", views.attendance_template, name="attendance_template"),
]
