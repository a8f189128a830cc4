"""URLs of the xAPI resources (/xapi/); the admin's pages are in `page_urls`."""

from django.urls import path

from kynangso.integration import xapi_views

app_name = "xapi"
urlpatterns = [
    path("statements", xapi_views.statements, name="statements"),
    path("about", xapi_views.about, name="about"),
]
