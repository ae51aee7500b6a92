"""The makers typed as free text (one name per line) become maker rows, unconfirmed and without an
e-mail address: their names are hidden until an editor adds an address and the maker confirms."""

from django.db import migrations


def text_to_rows(apps, schema_editor):
    # One statement, whatever the number of actions: each non-empty line a row, its spaces collapsed.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO arena_maker (action_id, name, email, language, consent, token_version, position)
            SELECT id, name, '', language, 'pending', 1, row_number() OVER (PARTITION BY id ORDER BY line) - 1
            FROM (
                SELECT a.id, t.line, left(btrim(regexp_replace(t.name, '\\s+', ' ', 'g')), 200) AS name,
                       CASE WHEN a.language IN ('fi', 'sv', 'en') THEN a.language ELSE 'fi' END AS language
                FROM arena_action a, regexp_split_to_table(a.makers, E'\\n') WITH ORDINALITY AS t(name, line)
                WHERE a.makers <> ''
            ) lines
            WHERE name <> ''
        """)


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
