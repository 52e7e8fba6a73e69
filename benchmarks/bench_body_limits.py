"""What a hostile request body costs the server, beside an ordinary submission (issue 10).

    .venv/bin/python benchmarks/bench_body_limits.py [--repeat 5]

One gunicorn sync worker (settings benchmarks.bench_settings, the benchmark database) on
127.0.0.1. For each request the worker's CPU seconds (utime + stime from /proc) and its peak
resident memory (VmHWM, reset through /proc/<pid>/clear_refs before each request) are read:

  - baseline: an ordinary JSON report (201), and one with a 40 KB photo (multipart, 201);
  - `{"phone": [0, 0, …]}` of 40 MB to /api/v1/auth/code/ (the issue measured 31 s of CPU and
    1.8 GB before the limits), with a Content-Length and chunked;
  - twenty 25 MB files in one report POST (500 MB declared), and twenty 1.5 MB files (30 MB,
    within the body limit, so the streaming count decides).

The client sends a hostile body piece by piece and stops as soon as the answer arrives, so the
figure "sent" shows how much the server took before refusing. Printed, never asserted.
"""

from __future__ import annotations

import argparse
import io
import json
import select
import socket
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for `import bench_db`
import bench_db  # inserts the repo root into sys.path

from benchmarks.gunicorn_runner import gunicorn_server

SETTINGS = "benchmarks.bench_settings"
MB = 1024 * 1024
BOUNDARY = "ht-bench-body-limits"
POINT = {"lon": "107.9653", "lat": "21.5338"}
SEND_CHUNK = 256 * 1024


@dataclass
class Body:
    """A body made piece by piece: bytes, or (pattern, times) repeated without being built."""

    pieces: list

    @property
    def length(self) -> int:
        return sum(len(p) if isinstance(p, bytes) else len(p[0]) * p[1] for p in self.pieces)

    def chunks(self) -> Iterator[bytes]:
        for piece in self.pieces:
            if isinstance(piece, bytes):
                for start in range(0, len(piece), SEND_CHUNK):
                    yield piece[start : start + SEND_CHUNK]
                continue
            pattern, times = piece
            per = max(1, SEND_CHUNK // len(pattern))
            while times:
                count = min(per, times)
                yield pattern * count
                times -= count


def multipart(fields: dict[str, str], files: list[tuple[str, str, object]]) -> Body:
    pieces: list = []
    for name, value in fields.items():
        head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        pieces.append(f"{head}{value}\r\n".encode())
    for field, filename, content in files:
        pieces.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
        )
        pieces += [content, b"\r\n"]
    pieces.append(f"--{BOUNDARY}--\r\n".encode())
    return Body(pieces)


def _answer_ready(sock: socket.socket) -> bool:
    return bool(select.select([sock], [], [], 0)[0])


def post(port: int, path: str, body: Body, content_type: str, *, chunked: bool) -> tuple[int, int]:
    """(status, bytes of body sent): stops sending as soon as the server answers."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=120)
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
    head += "Transfer-Encoding: chunked\r\n" if chunked else f"Content-Length: {body.length}\r\n"
    sock.sendall((head + "Connection: close\r\n\r\n").encode())
    sent = 0
    try:
        for chunk in body.chunks():
            if _answer_ready(sock):
                break
            sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" if chunked else chunk)
            sent += len(chunk)
        else:
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        answer = b""
        while b"\r\n" not in answer:
            data = sock.recv(65536)
            if not data:
                break
            answer += data
    except (BrokenPipeError, ConnectionResetError):
        answer = sock.recv(65536) if _answer_ready(sock) else b""
    finally:
        sock.close()
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return status, sent


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def cpu_seconds(pid: int) -> float:
    """Time on a CPU, in ns resolution (/proc/<pid>/schedstat; /proc/<pid>/stat has 10 ms)."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def wait_idle(pid: int) -> None:
    """Until the worker's CPU time stops moving (it has finished the request and logged it)."""
    last, steady = cpu_seconds(pid), 0
    while steady < 3:
        time.sleep(0.1)
        now = cpu_seconds(pid)
        steady = steady + 1 if now == last else 0
        last = now


def measure(pid: int, port: int, path: str, body: Body, ctype: str, chunked=False) -> dict:
    wait_idle(pid)
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    start_rss, start_cpu = rss_mb(pid), cpu_seconds(pid)
    status, sent = post(port, path, body, ctype, chunked=chunked)
    wait_idle(pid)
    return {
        "status": status,
        "cpu_s": cpu_seconds(pid) - start_cpu,
        "peak_mb": peak_rss_mb(pid) - start_rss,
        "sent_mb": sent / MB,
        "declared_mb": body.length / MB,
    }


def small_photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.effect_noise((256, 192), 64).convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()


MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
JSON = "application/json"


def scenarios() -> list[tuple[str, str, object, str, bool]]:
    """(name, path, body or the name of a baseline body, content type, chunked)."""
    report = {"category": "moi_truong", "description": "Rác thải ven đường", **POINT}
    hostile_json = Body([b'{"phone": [', (b"0, ", 40 * MB // 3), b"0]}"])
    twenty = [("photos", f"{i}.jpg", (b"\xff", 25 * MB)) for i in range(20)]
    within = [("photos", f"{i}.jpg", (b"\xff", 3 * MB // 2)) for i in range(20)]
    return [
        ("baseline: JSON report", "/api/v1/reports/", "json-report", JSON, False),
        ("baseline: report + 1 photo", "/api/v1/reports/", "photo-report", MULTIPART, False),
        ("40 MB JSON to auth/code", "/api/v1/auth/code/", hostile_json, JSON, False),
        ("40 MB JSON, chunked", "/api/v1/auth/code/", hostile_json, JSON, True),
        ("20 × 25 MB files", "/api/v1/reports/", multipart(report, twenty), MULTIPART, False),
        ("20 × 1.5 MB files", "/api/v1/reports/", multipart(report, within), MULTIPART, False),
    ]


def baseline_body(kind: str, photo: bytes) -> Body:
    report = {
        "category": "moi_truong",
        "description": "Rác thải ven đường",
        "idempotency_key": f"bench-body-{uuid.uuid4().hex}",
        **POINT,
    }
    if kind == "json-report":
        return Body([json.dumps(report).encode()])
    return multipart(report, [("photos", "anh.jpg", photo)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="requests per scenario (median)")
    args = parser.parse_args()
    bench_db.setup(SETTINGS)
    from django.conf import settings

    photo = small_photo()
    env = {
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": bench_db.bench_database_url(),
        "HT_LOG_LEVEL": "WARNING",
    }
    rows = []
    with gunicorn_server(env=env, workers=1) as server:
        pid = worker_pid(server.pid)
        for name, path, body, ctype, chunked in scenarios():
            results = []
            for _ in range(args.repeat):
                real = baseline_body(body, photo) if isinstance(body, str) else body
                results.append(measure(pid, server.port, path, real, ctype, chunked))
            results.sort(key=lambda r: r["cpu_s"])
            rows.append((name, results[len(results) // 2], max(r["peak_mb"] for r in results)))
    print(
        f"\nBody limits (issue 10): one gunicorn sync worker, median of {args.repeat}; "
        f"limits: sign-in 16 KB, report JSON 32 KB, report multipart "
        f"{settings.PHOTO_MAX_COUNT} × {settings.PHOTO_MAX_BYTES // MB} MB photos + "
        f"{settings.VIDEO_MAX_COUNT} × {settings.VIDEO_MAX_BYTES // MB} MB clips"
    )
    print(
        f"{'request':28} {'status':>6} {'body MB':>8} {'sent MB':>8} {'CPU ms':>8} {'peak +MB':>9}"
    )
    for name, r, peak in rows:
        print(
            f"{name:28} {r['status']:>6} {r['declared_mb']:>8.2f} {r['sent_mb']:>8.2f} "
            f"{r['cpu_s'] * 1000:>8.1f} {peak:>9.1f}"
        )
    print(
        "sent: what the client got into the socket before the answer arrived (kernel buffers "
        "take a few MB); CPU: the worker's; peak: its resident memory above its start."
    )
    print("Before the limits (issue 10): the 40 MB JSON took 31 s of CPU and 1.8 GB.")


if __name__ == "__main__":
    main()
