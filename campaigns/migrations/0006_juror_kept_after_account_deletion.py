# A juror role outlives its user's account (campaigns/privacy.py): the scores stay under a pseudonym.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0005_resultsnapshot_winners'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='juror',
            name='account_deleted_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='account deleted at'),
        ),
        migrations.AlterField(
            model_name='juror',
            name='user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='juror_roles', to=settings.AUTH_USER_MODEL, verbose_name='user'),
        ),
    ]
