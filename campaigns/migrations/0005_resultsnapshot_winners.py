from django.db import migrations, models


def keep_winners(apps, schema_editor):
    """Each existing snapshot's winners, as `campaigns.rendering.winners_data` keeps them for new ones."""
    ResultSnapshot = apps.get_model("campaigns", "ResultSnapshot")
    for snapshot in ResultSnapshot.objects.only("id", "data").iterator(chunk_size=20):
        snapshot.winners = {"categories": [
            {**item, "unranked": [],
             "rows": [row for row in item.get("rows", [])
                      if row.get("rank") is not None and row["rank"] <= item["winners"]]}
            for item in snapshot.data.get("categories", [])
        ]}
        snapshot.save(update_fields=["winners"])


class Migration(migrations.Migration):

    dependencies = [
        ("campaigns", "0004_rendered_results_and_organisation_awards"),
    ]

    operations = [
        migrations.AddField(
            model_name="resultsnapshot",
            name="winners",
            field=models.JSONField(blank=True, default=dict, editable=False, verbose_name="winners"),
        ),
        migrations.RunPython(keep_winners, migrations.RunPython.noop),
    ]
