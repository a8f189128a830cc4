"""URLs served under /.well-known/: the issuer's DID document (did:web resolves to /.well-known/did.json)."""

from django.urls import path

from kynangso.credentials import views

urlpatterns = [path("did.json", views.did_document, name="did_document")]
