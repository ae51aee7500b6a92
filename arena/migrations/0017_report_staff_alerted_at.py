from django.db import migrations, models
from django.db.models import F


def mark_existing_alerted(apps, schema_editor):
    """Reports made before batching were each e-mailed at once."""
    apps.get_model("arena", "Report").objects.update(staff_alerted_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("arena", "0016_one_line_text_stored_clean")]

    operations = [
        migrations.AddField(
            model_name="report",
            name="staff_alerted_at",
            field=models.DateTimeField(
                blank=True, db_index=True, null=True, verbose_name="staff e-mailed at",
                help_text="Empty while the report waits for the next e-mail to KT staff.",
            ),
        ),
        migrations.RunPython(mark_existing_alerted, migrations.RunPython.noop),
    ]
