# The free-text makers field, replaced by maker rows (0011).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("arena", "0012_makers_from_text"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="action",
            name="makers",
        ),
    ]
