"""The "Campaign managers" group for the KT staff who run campaigns.

They keep campaigns, categories, juries and nominations in the admin, and on the site they
freeze and publish results and open the chair's view (`campaigns.change_campaign`); they see
actions and organisations. Moderators are not campaign managers unless they are in both groups.
"""

from django.db import migrations

GROUP_NAME = "Campaign managers"
VIEW_ONLY = [("arena", "view_action"), ("orgs", "view_organisation")]


def create_campaign_managers_group(apps, schema_editor=None):
    # On a fresh database, permissions are normally created only after all migrations.
    from django.contrib.auth.management import create_permissions

    for app_label in ("arena", "orgs", "campaigns"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    permissions = list(Permission.objects.filter(content_type__app_label="campaigns"))
    for app_label, codename in VIEW_ONLY:
        permissions.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    group.permissions.set(permissions)


def remove_campaign_managers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0002_heroes_nominations_and_subject_reviews"),
        ("arena", "0005_moderators_group"),
    ]

    operations = [migrations.RunPython(create_campaign_managers_group, remove_campaign_managers_group)]
