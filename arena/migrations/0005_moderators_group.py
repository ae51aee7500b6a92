"""The "Moderators" group for KT staff, with exactly the permissions moderation needs.

- moderate development actions (every moderation button checks `arena.moderate_action`);
- view actions and everything shown on an action's page (contacts, images, links, the
  audit trail, edits after publication, likes, adoptions, reports); reports are closed
  through a button (a service), so no change permission on them is needed;
- edit the taxonomy (sectors and themes);
- view organisations and memberships.

Moderators do not edit the text of actions: they return an action to its author instead.
"""

from django.db import migrations

GROUP_NAME = "Moderators"

PERMISSIONS = [
    ("arena", "action", ["moderate", "view"]),
    ("arena", "contactperson", ["view"]),
    ("arena", "actionimage", ["view"]),
    ("arena", "actionlink", ["view"]),
    ("arena", "transition", ["view"]),
    ("arena", "revision", ["view"]),
    ("arena", "like", ["view"]),
    ("arena", "adoption", ["view"]),
    ("arena", "report", ["view"]),
    ("arena", "sector", ["add", "change", "delete", "view"]),
    ("arena", "theme", ["add", "change", "delete", "view"]),
    ("orgs", "organisation", ["view"]),
    ("orgs", "membership", ["view"]),
]


def codenames():
    return [(app_label, f"{verb}_{model}") for app_label, model, verbs in PERMISSIONS for verb in verbs]


def create_moderators_group(apps, schema_editor=None):
    # On a fresh database, permissions are normally created only after all migrations.
    from django.contrib.auth.management import create_permissions

    for app_label in ("arena", "orgs"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    permissions = []
    for app_label, codename in codenames():
        permissions.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    group.permissions.set(permissions)


def remove_moderators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("arena", "0004_moderate_permission"),
        ("orgs", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_moderators_group, remove_moderators_group)]
