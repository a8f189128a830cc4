"""URLs of the sign-in with the identity provider, under /dang-nhap/ (Vietnamese paths)."""

from django.urls import path

from kynangso.oidc import views

app_name = "oidc"
urlpatterns = [
    path("dinh-danh/", views.start, name="start"),
    path("dinh-danh/tra-ve/", views.callback, name="callback"),
]
