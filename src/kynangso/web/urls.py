"""URLs of the site's pages (Vietnamese paths, as people read and share them)."""

from django.urls import path

from kynangso.oidc import api as oidc
from kynangso.web import teams, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("co-chu/", views.set_text_size, name="text_size"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", oidc.LogoutView.as_view(), name="logout"),
    path("trang-cua-toi/", views.dashboard, name="dashboard"),
    path("nguoi/", views.people_list, name="people"),
    path("nguoi/xuat.xlsx", views.people_export, name="people_export"),
    path("nguoi/<int:person_id>/", views.person_detail, name="person"),
    path("nguoi/<int:person_id>/du-lieu-ca-nhan/", views.person_reveal, name="person_reveal"),
    path("nguoi/<int:person_id>/to-cong-nghe-so/", teams.join_team, name="person_join_team"),
    path("nguoi/<int:person_id>/to-cong-nghe-so/roi/", teams.leave_team, name="person_leave_team"),
    path("nguoi/nhap/", views.roster_upload, name="roster_upload"),
    path("nguoi/nhap/mau.xlsx", views.roster_template, name="roster_template"),
    path("nguoi/nhap/<uuid:job_id>/xac-nhan/", views.roster_confirm, name="roster_confirm"),
    path("tac-vu/<uuid:job_id>/", views.job_detail, name="job"),
    path("tac-vu/<uuid:job_id>/tep-loi.xlsx", views.job_error_file, name="job_error_file"),
]
