"""Settings of the exam-day benchmark's server: the product's own settings, with a URL map that adds the floor.

Used only by `benchmarks/exam_day.py`, which starts gunicorn with DJANGO_SETTINGS_MODULE=benchmarks._floor_settings.
"""

from kynangso.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks._floor_app"
