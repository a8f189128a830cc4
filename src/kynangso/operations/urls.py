"""URLs for machines: health, readiness and metrics (outside the language-prefixed pages)."""

from django.urls import path

from kynangso.operations import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics_view, name="metrics"),
]
