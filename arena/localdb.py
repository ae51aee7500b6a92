"""Development and test runner around an embedded PostgreSQL.

`python -m arena.localdb run`   → database under var/postgres (kept), migrate, bootstrap, runserver
`python -m arena.localdb test`  → throwaway database (and a throwaway Redis server when one is
                                  installed: TEST_REDIS_URL), then pytest with the remaining arguments
`python -m arena.localdb shell` → database under var/postgres, then an interactive shell

When DATABASE_URL is set it is used as is and nothing is started. Otherwise the
`pgserver` package (PostgreSQL 16 in a wheel) is used; failing that, the system's
`initdb`/`pg_ctl`; failing that, a clear message says how to set DATABASE_URL.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = BASE_DIR / "var"


def say(text: str) -> None:
    print(f"» {text}", flush=True)


def cluster_running(datadir: Path) -> bool:
    """Whether a PostgreSQL server already runs on `datadir` (its postmaster.pid names a live process):
    another `make run`, `make shell` or `manage` started it, and that one stops it."""
    try:
        pid = int((datadir / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return False
    try:
        os.kill(pid, 0)
    except PermissionError:
        return True  # alive, run by another user (the embedded server's own user when we are root)
    except OSError:
        return False
    return True


@contextlib.contextmanager
def pgserver_database(datadir: Path, keep: bool):
    import pgserver  # noqa: PLC0415 (optional dependency)

    datadir.mkdir(parents=True, exist_ok=True)
    shared = cluster_running(datadir)
    server = pgserver.get_server(str(datadir), cleanup_mode=None)
    try:
        yield server.get_uri()
    finally:
        from pgserver._commands import pg_ctl  # noqa: PLC0415

        if not shared:
            with contextlib.suppress(Exception):
                pg_ctl(["-w", "stop", "-m", "fast"], pgdata=datadir, user=server.system_user, timeout=30)
        if not keep:
            shutil.rmtree(datadir, ignore_errors=True)


def stop_cluster(pg_ctl: str, datadir: Path) -> None:
    subprocess.run([pg_ctl, "stop", "-D", str(datadir), "-m", "fast", "-s"], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@contextlib.contextmanager
def system_database(datadir: Path, keep: bool):
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if os.geteuid() == 0:
        raise RuntimeError("the system PostgreSQL refuses to run as root")
    if not (datadir / "PG_VERSION").exists():
        datadir.mkdir(parents=True, exist_ok=True)
        subprocess.run([initdb, "-D", str(datadir), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
                       check=True, stdout=subprocess.DEVNULL)
    sockets = datadir / "sockets"
    sockets.mkdir(exist_ok=True)
    shared = cluster_running(datadir)
    if not shared:
        subprocess.run([pg_ctl, "start", "-D", str(datadir), "-w", "-s", "-l", str(datadir / "log"),
                        "-o", f"-k {sockets} -c listen_addresses=''"], check=True)
    try:
        yield f"postgresql://postgres@/postgres?host={sockets}"
    finally:
        if not shared:
            stop_cluster(pg_ctl, datadir)
        if not keep:
            shutil.rmtree(datadir, ignore_errors=True)


@contextlib.contextmanager
def database(datadir: Path, keep: bool):
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    errors = []
    try:
        import pgserver  # noqa: F401, PLC0415
    except ImportError as exc:
        errors.append(f"pgserver: {exc}")
    else:
        with pgserver_database(datadir, keep) as url:
            yield url
        return
    if shutil.which("initdb") and shutil.which("pg_ctl"):
        try:
            with system_database(datadir, keep) as url:
                yield url
            return
        except (RuntimeError, subprocess.CalledProcessError) as exc:
            errors.append(f"system PostgreSQL: {exc}")
    sys.exit(
        "Could not start an embedded PostgreSQL (" + "; ".join(errors or ["initdb not found"]) + ").\n"
        "Set DATABASE_URL=postgresql://user:password@host:5432/dbname to use a PostgreSQL server."
    )


REDIS_SERVERS = ("redis-server", "valkey-server")


def redis_server_binary() -> str | None:
    """The Redis-protocol server on PATH (Debian's redis-server, or valkey-server), or None."""
    return next((found for name in REDIS_SERVERS if (found := shutil.which(name))), None)


class RedisServer:
    """A throwaway Redis (or Valkey) server on a Unix socket in `directory`, nothing saved to disk.
    `stop()` and `start()` again keep the same URL (an outage and a restart, as in production)."""

    def __init__(self, directory: Path, binary: str | None = None):
        self.binary = binary or redis_server_binary()
        if self.binary is None:
            raise RuntimeError("no redis-server or valkey-server on PATH (Debian: apt-get install redis-server)")
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.socket = self.directory / "redis.sock"
        self.url = f"unix://{self.socket}"
        self.process: subprocess.Popen | None = None

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            [self.binary, "--port", "0", "--unixsocket", str(self.socket), "--unixsocketperm", "777",
             "--save", "", "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not self.socket.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{self.binary} did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
        self.process = None
        with contextlib.suppress(FileNotFoundError):
            self.socket.unlink()

    def __enter__(self) -> "RedisServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@contextlib.contextmanager
def redis_for_tests(tmp: Path, env: dict):
    """A Redis server for the tests' second cache backend (TEST_REDIS_URL), when one is installed.
    Without one the tests marked `caches` run on the database cache only (and fail under CI)."""
    if env.get("TEST_REDIS_URL") or redis_server_binary() is None:
        if not env.get("TEST_REDIS_URL"):
            say("no redis-server or valkey-server on PATH: the Redis half of the cache tests will not run")
        yield
        return
    with RedisServer(tmp / "redis") as server:
        env["TEST_REDIS_URL"] = server.url
        yield


def manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], check=True, env=env)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def run(env: dict) -> int:
    # Ctrl-C (and a TERM from a process manager) stops the site, then the database.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    port = env.get("PORT", "8000")
    env.setdefault("DEBUG", "true")
    with database(VAR / "postgres", keep=True) as url:
        env["DATABASE_URL"] = url
        say("migrating")
        manage("migrate", "--no-input", "-v", "0", env=env)
        manage("compile_translations", env=env)
        manage("bootstrap", env=env)
        say(f"serving on http://127.0.0.1:{port}/ (Ctrl-C stops the site and the database)")
        server = subprocess.Popen([sys.executable, str(BASE_DIR / "manage.py"), "runserver", f"127.0.0.1:{port}"],
                                  env=env)
        try:
            return server.wait()
        except KeyboardInterrupt:
            server.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=10)
            say("stopping the database")
            return 0


def test(env: dict, pytest_args: list[str]) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="arena-test-db-", dir=env.get("ARENA_TMP") or None))
    os.chmod(tmp, 0o755)
    with database(tmp / "pg", keep=False) as url, redis_for_tests(tmp, env):
        env["DATABASE_URL"] = url
        env["DJANGO_SETTINGS_MODULE"] = "tests.settings"
        manage("compile_translations", env=env)
        started = time.monotonic()
        code = subprocess.run([sys.executable, "-m", "pytest", *pytest_args], env=env).returncode
        say(f"tests took {time.monotonic() - started:.0f} s")
    shutil.rmtree(tmp, ignore_errors=True)
    return code


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("run", [])
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "arena.settings")
    env.setdefault("XDG_RUNTIME_DIR", tempfile.gettempdir())
    if command == "run":
        return run(env)
    if command == "test":
        return test(env, rest)
    if command in {"shell", "manage"}:
        env.setdefault("DEBUG", "true")
        with database(VAR / "postgres", keep=True) as url:
            env["DATABASE_URL"] = url
            args = rest if command == "manage" else ["shell"]
            return subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], env=env).returncode
    sys.exit(f"unknown command {command!r}: use run, test, shell or manage")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
