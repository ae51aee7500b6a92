"""Create the page data's own database cache table (`settings.PAGE_CACHE`), apart from the one of
the rate limits and sessions (createcachetable creates every missing cache table)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("arena", "0014_revision_proposals")]
    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
