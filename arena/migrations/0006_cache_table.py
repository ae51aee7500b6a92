"""Create the database cache table.

The cache is shared by every gunicorn worker, so allauth's login rate limits count
across workers (a per-process memory cache would make them several times looser).
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("arena", "0005_moderators_group")]
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
