"""The makers typed as free text (one name per line) become maker rows, unconfirmed and without an
e-mail address: their names are hidden until an editor adds an address and the maker confirms."""

from django.db import migrations


def text_to_rows(apps, schema_editor):
    Maker = apps.get_model("arena", "Maker")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, makers, language FROM arena_action WHERE makers <> '' ORDER BY id")
        rows = cursor.fetchall()
    makers = []
    for action_id, text, language in rows:
        names = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        makers += [Maker(action_id=action_id, name=name[:200], email="", language=language or "fi",
                         consent="pending", position=i) for i, name in enumerate(names)]
    Maker.objects.bulk_create(makers, batch_size=1000)


def rows_to_text(apps, schema_editor):
    Maker = apps.get_model("arena", "Maker")
    texts = {}
    for action_id, name in Maker.objects.order_by("action_id", "position", "id").values_list("action_id", "name"):
        texts.setdefault(action_id, []).append(name)
    with schema_editor.connection.cursor() as cursor:
        for action_id, names in texts.items():
            cursor.execute("UPDATE arena_action SET makers = %s WHERE id = %s", ["\n".join(names), action_id])


class Migration(migrations.Migration):

    dependencies = [
        ("arena", "0011_maker"),
    ]

    operations = [
        migrations.RunPython(text_to_rows, rows_to_text),
    ]
