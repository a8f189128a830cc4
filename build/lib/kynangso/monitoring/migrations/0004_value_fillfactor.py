"""PostgreSQL: leave room in each page of the rolled-up values, so the incremental roll-up's upsert (it changes only
the numerator and the time, no indexed column) updates a row in place (a HOT update) instead of writing it again
with its index entries (ADR 0015). SQLite has no such setting: nothing to do there."""
from django.db import migrations


def set_fillfactor(apps, schema_editor, value=70):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE monitoring_indicatorvalue SET (fillfactor = {int(value)})")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE monitoring_indicatorvalue RESET (fillfactor)")


class Migration(migrations.Migration):

    dependencies = [
        ("monitoring", "0003_affected_person_source"),
    ]

    operations = [
        migrations.RunPython(set_fillfactor, reset_fillfactor),
    ]
