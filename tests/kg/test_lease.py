"""Leases on build directories: held while their process lives, stale (and ignored) once it is gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from kg.build.lease import Lease, Registration, lease_holders, running_servers
from kg.build.publish import prune_builds
from kg.config import Settings

HOLD = "import sys, time; from kg.build.lease import Lease; from pathlib import Path; " \
       "l = Lease(Path(sys.argv[1])); print('held', flush=True); time.sleep(60)"


def builds(tmp_path: Path, n: int) -> tuple[Settings, list[Path]]:
    settings = Settings(root=tmp_path, var_dir=tmp_path / "var", dist_dir=tmp_path / "dist")
    made = []
    for i in range(n):
        build = settings.builds_dir / f"2026010{i}T000000000000-x"
        build.mkdir(parents=True)
        made.append(build)
    return settings, made


def test_prune_keeps_the_newest_and_every_leased_build(tmp_path: Path) -> None:
    settings, made = builds(tmp_path, 6)
    lease = Lease(made[0])
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(made[1])], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        assert lease_holders(made[0]) == [os.getpid()] and lease_holders(made[1]) == [child.pid]
        pruned = prune_builds(settings)
        assert pruned == made[2:3]  # 0 and 1 leased, 3-5 the newest three
        os.kill(child.pid, signal.SIGKILL)  # its lease goes stale however it dies
        child.wait(10)
        assert lease_holders(made[1]) == []
        assert prune_builds(settings) == [made[1]]
    finally:
        child.kill()
        lease.release()
    assert prune_builds(settings) == [made[0]]


def test_registrations_list_live_servers_only(tmp_path: Path) -> None:
    registration = Registration(tmp_path, "http://127.0.0.1:1/", tmp_path / "b1")
    assert running_servers(tmp_path) == {os.getpid(): ("http://127.0.0.1:1/", "b1")}
    registration.serving(tmp_path / "another-build")
    assert running_servers(tmp_path)[os.getpid()][1] == "another-build"
    registration.release()
    assert running_servers(tmp_path) == {}
    stale = tmp_path / "run" / "999999.lock"
    stale.write_text("999999 http://x/ b\n")  # a file nobody holds: a server that died
    time.sleep(0.01)
    assert running_servers(tmp_path) == {} and not stale.exists()


def test_a_lease_never_recreates_a_pruned_build(tmp_path: Path) -> None:
    gone = tmp_path / "builds" / "20260101T000000000000-gone"
    try:
        Lease(gone)
    except FileNotFoundError:
        pass
    else:
        raise AssertionError("a lease on a missing build must fail")
    assert not gone.exists()
