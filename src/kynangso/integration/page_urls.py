"""URLs of the integration app's pages (/hoc-noi-khac/)."""

from django.urls import path

from kynangso.integration import views

app_name = "integration"
urlpatterns = [
    path("nhap/", views.import_completions, name="import"),
    path("nhap/tep-mau/", views.import_template, name="import_template"),
    path("cho-xu-ly/", views.waiting, name="waiting"),
]
