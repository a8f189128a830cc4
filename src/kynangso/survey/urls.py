"""Pages of the survey app (Vietnamese paths under /khao-sat/)."""

from django.urls import path

from kynangso.survey import views

app_name = "survey"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:survey_id>/", views.detail, name="detail"),
    path("<int:survey_id>/phan-cong/", views.assign, name="assign"),
    path("<int:survey_id>/uoc-luong/", views.estimate, name="estimate"),
    path("phong-van/", views.mine, name="mine"),
    path("phong-van/<int:interview_id>/", views.interview, name="interview"),
    path("phong-van/<int:interview_id>/ket-qua/", views.outcome, name="outcome"),
    path("tra-loi/<str:token>/", views.self_interview, name="self"),
]
