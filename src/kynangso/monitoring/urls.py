"""Pages of the monitoring app (Vietnamese paths, mounted at /theo-doi/)."""

from django.urls import path

from kynangso.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("don-vi/<int:unit_id>/", views.unit_dashboard, name="unit"),
    path("don-vi/<int:unit_id>/thi-dua/", views.ranking, name="ranking"),
    path("cong-khai/", views.public, name="public"),
    path("nhap-lieu/", views.entry_start, name="entry_start"),
    path("nhap-lieu/<int:unit_id>/<int:year>/", views.entry, name="entry"),
    path("phe-duyet/", views.approvals, name="approvals"),
    path("phe-duyet/<int:value_id>/", views.decide, name="decide"),
    path("phan-bo-chi-tieu/", views.allocation_start, name="allocation_start"),
    path("phan-bo-chi-tieu/<int:target_id>/", views.allocation, name="allocation"),
]
