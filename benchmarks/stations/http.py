"""Search over HTTP against a trivial endpoint on the same server, in the same run.

The server is the production one (granian, one worker, pinned to one core); the load
generator is ``wrk`` on the other core, because a Python client would be slower than
the server and measure itself. Both endpoints go through the same middleware, so the
ratio isolates what the search costs on top of serving any request.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from benchmarks.stations.dataset import QueryPoint

_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")


@dataclass(frozen=True)
class HttpResult:
    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _taskset(cpu: int) -> list[str]:
    return ["taskset", "-c", str(cpu)] if shutil.which("taskset") and os.cpu_count() else []


def _wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server exited during start-up")
        try:
            with urllib.request.urlopen(f"{base}/health/ready", timeout=1) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not become ready in 30 s")


def _to_ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _wrk(name: str, url: str, seconds: int, connections: int, script: Path | None) -> HttpResult:
    command = [
        *_taskset(1),
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
    ]
    if script is not None:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    latencies = {p: _to_ms(v, u) for p, v, u in _LATENCY.findall(output)}
    rps = _RPS.search(output)
    non_2xx = _NON_2XX.search(output)
    return HttpResult(
        name=name,
        requests_per_second=float(rps.group(1)) if rps else 0.0,
        p50_ms=latencies.get("50", 0.0),
        p99_ms=latencies.get("99", 0.0),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
    )


def _lua_script(paths: list[str], directory: Path) -> Path:
    lines = ",\n".join(f'  "{p}"' for p in paths)
    script = directory / "search.lua"
    script.write_text(
        "local paths = {\n" + lines + "\n}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        "  return wrk.format('GET', paths[i])\n"
        "end\n",
        encoding="utf-8",
    )
    return script


def search_paths(points: list[QueryPoint], *, filtered: bool) -> list[str]:
    extra = "&connectorStandard=IEC_62196_T2_COMBO&minPowerKw=100&availableNow=true"
    return [
        f"/v1/stations/?lat={p.lat:.5f}&lon={p.lon:.5f}&radius=5000&limit=20"
        + (extra if filtered else "")
        for p in points
    ]


def measure(
    database_url: str, points: list[QueryPoint], *, seconds: int, connections: int = 32
) -> list[HttpResult]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "EMSP_DATABASE_URL": database_url,
        "EMSP_ACCESS_LOG": "false",
        "EMSP_LOG_LEVEL": "WARNING",
        "EMSP_PORT": str(port),
    }
    server = subprocess.Popen(
        [*_taskset(0), sys.executable, "-m", "app", "serve", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_ready(base, server)
        with tempfile.TemporaryDirectory() as tmp:
            plain = _lua_script(search_paths(points, filtered=False), Path(tmp))
            filtered_dir = Path(tmp) / "filtered"
            filtered_dir.mkdir()
            filtered = _lua_script(search_paths(points, filtered=True), filtered_dir)
            warm = max(2, seconds // 3)
            _wrk("warm-up", f"{base}/health/live", warm, connections, None)
            _wrk("warm-up", base, warm, connections, plain)
            return [
                _wrk("trivial GET /health/live", f"{base}/health/live", seconds, connections, None),
                _wrk("search nearest-20 in 5 km", base, seconds, connections, plain),
                _wrk("search, CCS>=100kW free", base, seconds, connections, filtered),
            ]
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
