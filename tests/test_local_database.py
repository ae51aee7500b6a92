"""The embedded PostgreSQL of `make run`, `make shell` and `manage`: a second command on the same
data directory shares the running server and leaves it running when it exits."""

import logging

import psycopg

from arena import localdb


logging.getLogger("pgserver").setLevel(logging.WARNING)  # its exit handler logs after pytest closed the output


def _answers(url: str) -> bool:
    with psycopg.connect(url, connect_timeout=5) as connection:
        return connection.execute("SELECT 1").fetchone() == (1,)


def test_a_shell_beside_a_running_site_leaves_its_database_running(tmp_path):
    datadir = tmp_path / "postgres"
    with localdb.pgserver_database(datadir, keep=True) as site_url:
        with localdb.pgserver_database(datadir, keep=True) as shell_url:  # `make shell` while `make run` serves
            assert _answers(shell_url)
        assert localdb.cluster_running(datadir)
        assert _answers(site_url)
    assert not localdb.cluster_running(datadir)  # the one that started it stopped it
