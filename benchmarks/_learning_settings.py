"""Settings of the learning-pages benchmark: the product's own settings, with static files stored as in production.

Used only by `benchmarks/learning_pages.py` (its own process and the gunicorn it starts). Production
(KYNANGSO_PRODUCTION=1) keeps static files with WhiteNoise's CompressedManifestStaticFilesStorage: hashed names
served with a far-future `Cache-Control`, and gzip/brotli copies made at `collectstatic`. Production mode itself
also demands Redis, TLS and secrets, which a benchmark on loopback does not need, so only the storage is taken over.
"""

from kynangso.settings import *  # noqa: F403
from kynangso.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
