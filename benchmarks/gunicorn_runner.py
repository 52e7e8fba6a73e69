"""Start gunicorn on a free loopback port for a benchmark, and always stop it afterwards.

    with gunicorn_server(env={...}, workers=2) as server:
        run_wrk(server.url, ...)

The server runs in its own process group (start_new_session), so leaving the block - normally,
on an exception or on Ctrl-C - signals the master and every worker by that group id only.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    port: int
    pid: int
    log_path: Path
    description: str

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our local server
            response.read()
        return True
    except urllib.error.HTTPError:
        return True  # any HTTP answer (404, 400...) means a worker is serving
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


def _stop(proc: subprocess.Popen, grace_s: float = 10.0) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)  # the group we created: master + its workers
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    # Workers may outlive the master by a moment; make sure the group is gone.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


@contextlib.contextmanager
def gunicorn_server(
    *,
    env: Mapping[str, str],
    app: str = "config.wsgi:application",
    workers: int = 2,
    worker_class: str = "sync",
    threads: int = 1,
    ready_path: str = "/api/v1/categories/",
    ready_timeout_s: float = 30.0,
    extra_args: list[str] | None = None,
) -> Iterator[Server]:
    """Runs gunicorn bound to 127.0.0.1:<free port> until the block exits.

    Ready means: every worker has logged that it booted and `ready_path` gives an HTTP answer.
    The server's log (a temporary file) is deleted on a clean exit and kept on an error.
    """
    port = free_port()
    log_dir = Path(tempfile.mkdtemp(prefix="ht-bench-gunicorn-"))
    log_path = log_dir / "gunicorn.log"
    args = [
        str(GUNICORN),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--threads",
        str(threads),
        "--graceful-timeout",
        "5",
        "--timeout",
        "60",
        "--chdir",
        str(ROOT),
        "--no-control-socket",  # gunicorn 27 otherwise shares ~/.gunicorn/gunicorn.ctl
        *(extra_args or []),
        app,
    ]
    description = f"gunicorn {worker_class} workers={workers}" + (
        f" threads={threads}" if worker_class == "gthread" else ""
    )
    full_env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            args,
            cwd=ROOT,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", port, proc.pid, log_path, description)
    try:
        deadline = time.monotonic() + ready_timeout_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with code {proc.returncode}:\n{server.log_tail()}"
                )
            booted = len(re.findall(r"Booting worker", server.log_tail(200)))
            if booted >= workers and _answers(server.url + ready_path):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"gunicorn not ready after {ready_timeout_s:.0f} s:\n{server.log_tail()}"
                )
            time.sleep(0.2)
        yield server
    except BaseException:
        print(f"gunicorn log kept: {log_path}", file=sys.stderr)
        raise
    else:
        shutil.rmtree(log_dir, ignore_errors=True)
    finally:
        _stop(proc)


# --- wrk ------------------------------------------------------------------------------------

WRK = os.environ.get("WRK", "/usr/bin/wrk")
_TIME_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


@dataclass
class WrkResult:
    requests: int
    duration_s: float
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    non_2xx_3xx: int
    socket_errors: dict[str, int]
    status: dict[str, int]  # from the Lua done() line "HT_STATUS k=v ..."
    output: str


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if not match:
        raise ValueError(f"unparsable wrk time {text!r}")
    return float(match.group(1)) * _TIME_UNITS[match.group(2)]


def parse_wrk(output: str) -> WrkResult:
    def find(pattern: str) -> re.Match:
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            raise ValueError(f"wrk output lacks {pattern!r}:\n{output}")
        return match

    done = find(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h)")
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    status_line = re.search(r"^HT_STATUS (.*)$", output, re.MULTILINE)
    return WrkResult(
        requests=int(done.group(1)),
        duration_s=_ms(done.group(2) + done.group(3)) / 1000.0,
        requests_per_s=float(find(r"^Requests/sec:\s+([\d.]+)").group(1)),
        p50_ms=_ms(find(r"^\s+50%\s+(\S+)").group(1)),
        p99_ms=_ms(find(r"^\s+99%\s+(\S+)").group(1)),
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=dict(
            zip(("connect", "read", "write", "timeout"), map(int, errors.groups()), strict=True)
        )
        if errors
        else {"connect": 0, "read": 0, "write": 0, "timeout": 0},
        status={k: int(v) for k, v in re.findall(r"(\S+?)=(\d+)", status_line.group(1))}
        if status_line
        else {},
        output=output,
    )


def run_wrk(
    url: str,
    script: Path | str,
    *,
    duration_s: int = 15,
    connections: int = 32,
    threads: int = 2,
    script_args: list[str] | None = None,
) -> WrkResult:
    """wrk -t -c -d --latency -s script url [-- args]; bounded by -d and a hard timeout."""
    args = [
        WRK,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration_s}s",
        "--timeout",
        "5s",
        "--latency",
        "-s",
        str(script),
        url,
    ]
    if script_args:
        args += ["--", *script_args]
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=duration_s + 30)
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    result = parse_wrk(proc.stdout)
    if proc.stderr.strip():
        result.output += "\n[stderr]\n" + proc.stderr
    return result


def add_load_arguments(parser: argparse.ArgumentParser) -> None:
    """The wrk load and gunicorn worker options every HTTP benchmark takes."""
    parser.add_argument("--duration", type=int, default=15, help="wrk seconds (default 15)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
