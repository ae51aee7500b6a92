# Makers as rows of their own, each with their consent (arena/makers.py).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('arena', '0010_action_published_newest_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='Maker',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                ('language', models.CharField(choices=[('fi', 'Finnish'), ('sv', 'Swedish'), ('en', 'English')], default='fi', max_length=2, verbose_name='language')),
                ('consent', models.CharField(choices=[('pending', 'waiting for an answer'), ('given', 'given'), ('refused', 'refused'), ('withdrawn', 'withdrawn')], default='pending', max_length=10, verbose_name='consent')),
                ('consent_requested_at', models.DateTimeField(blank=True, null=True, verbose_name='link sent at')),
                ('consent_given_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmed at')),
                ('token_version', models.PositiveIntegerField(default=1, editable=False, verbose_name='link version')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                ('action', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='makers', to='arena.action', verbose_name='action')),
            ],
            options={
                'verbose_name': 'maker',
                'verbose_name_plural': 'makers',
                'ordering': ['position', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('consent__in', ['pending', 'given'])), name='maker_consent_valid'), models.CheckConstraint(condition=models.Q(('language__in', ['fi', 'sv', 'en'])), name='maker_language_valid')],
            },
        ),
    ]
