"""The makers typed as free text become unconfirmed maker rows without an address: hidden until
an editor adds an address and the maker confirms."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("arena.migrations.0012_makers_from_text")


def test_old_maker_lines_become_hidden_rows(client):
    action = ActionFactory(language="sv")
    with connection.cursor() as cursor:  # the old column, for this test's transaction only
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks on the table to alter
        cursor.execute("ALTER TABLE arena_action ADD COLUMN makers text NOT NULL DEFAULT ''")
        cursor.execute("UPDATE arena_action SET makers = %s WHERE id = %s",
                       ["  Anna Andersson \n\nBo   Berg\n", action.pk])

    migration.text_to_rows(apps, SimpleNamespace(connection=connection))

    rows = list(action.makers.values_list("name", "email", "language", "consent"))
    assert rows == [("Anna Andersson", "", "sv", "pending"), ("Bo Berg", "", "sv", "pending")]
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE arena_action DROP COLUMN makers")
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Andersson" not in page and "Berg" not in page
