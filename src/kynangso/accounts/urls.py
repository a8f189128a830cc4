"""URLs of the account pages (Vietnamese paths)."""

from django.urls import path

from kynangso.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("mat-khau/", views.password_change, name="password_change"),
    path("dat-lai-mat-khau/", views.password_reset_with_code, name="password_reset"),
    path("cap-ma-dat-lai/<int:person_id>/", views.password_reset_issue, name="password_reset_issue"),
    path("xac-thuc-hai-lop/", views.two_factor_setup, name="two_factor"),
    path("xac-thuc-hai-lop/tat/", views.two_factor_disable, name="two_factor_disable"),
    path("ma-xac-thuc/", views.two_factor_verify, name="two_factor_verify"),
]
