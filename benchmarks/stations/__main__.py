"""``python -m benchmarks.stations``: station search at 100k and 1M connectors.

Builds (once, then reuses) synthetic European networks on SQLite and PostgreSQL, then
measures search latency in-process and, over HTTP, the search beside a trivial endpoint
on the same server. Prints its figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import sys
from pathlib import Path

from benchmarks.stations import http, inprocess
from benchmarks.stations.dataset import query_points
from benchmarks.stations.load import prepare

TARGET_P50_MS = 1.0
TARGET_HTTP_RATIO = 0.5


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--connectors", default="100000,1000000", help="sizes, comma-separated")
    parser.add_argument(
        "--backends",
        default="sqlite,postgis,postgres-point",
        help="sqlite, postgis (PostgreSQL with PostGIS), postgres-point (core GiST fallback)",
    )
    parser.add_argument("--queries", type=int, default=2000, help="queries per kind")
    parser.add_argument("--http-backends", default="sqlite,postgis")
    parser.add_argument("--http-seconds", type=int, default=10)
    parser.add_argument("--data-dir", type=Path, default=Path("var/bench"))
    parser.add_argument("--rebuild", action="store_true", help="rebuild cached databases")
    return parser.parse_args()


async def _run(args: argparse.Namespace) -> None:
    sizes = [int(s) for s in args.connectors.split(",") if s]
    backends = [b for b in args.backends.split(",") if b]
    http_backends = [b for b in args.http_backends.split(",") if b]
    points = query_points(args.queries)
    print(
        f"# station search benchmark ({platform.python_implementation()} "
        f"{platform.python_version()}, {platform.machine()})"
    )
    print(
        f"# {args.queries} queries per kind, 80% near city centres; target p50 <= "
        f"{TARGET_P50_MS} ms in-process, HTTP search >= {TARGET_HTTP_RATIO:.0%} of trivial"
    )
    largest = max(sizes)
    for size in sizes:
        for backend in backends:
            url, stats = await prepare(backend, size, args.data_dir, rebuild=args.rebuild)
            built = (
                "reused"
                if stats.get("reused")
                else (
                    f"built {stats['locations']} locations, {stats['evses']} EVSEs, "
                    f"{stats['connectors']} connectors in {stats['seconds']} s"
                )
            )
            print(f"\n## {size:,} connectors on {backend} ({built})")
            print(f"{'query':42} {'p50 ms':>8} {'p95 ms':>8} {'hits':>6}")
            for row in await inprocess.measure(url, points):
                flag = "ok" if row.p50_ms <= TARGET_P50_MS else "MISSES TARGET"
                print(
                    f"{row.kind:42} {row.p50_ms:8.3f} {row.p95_ms:8.3f} "
                    f"{row.mean_results:6.1f}  {flag}"
                )
            if size == largest and backend in http_backends:
                if not http.wrk_available():
                    print("HTTP: skipped, `wrk` is not installed (apt-get install wrk)")
                    continue
                results = http.measure(url, points[:1000], seconds=args.http_seconds)
                trivial = results[0].requests_per_second
                print(
                    f"\n{'over HTTP (1 granian worker, wrk -c32)':42} {'req/s':>9} "
                    f"{'p50 ms':>8} {'p99 ms':>8} {'ratio':>6}"
                )
                for result in results:
                    ratio = result.requests_per_second / trivial if trivial else 0.0
                    errors = f"  {result.non_2xx} non-2xx!" if result.non_2xx else ""
                    print(
                        f"{result.name:42} {result.requests_per_second:9.0f} "
                        f"{result.p50_ms:8.2f} {result.p99_ms:8.2f} {ratio:6.2f}{errors}"
                    )


def main() -> None:
    args = _parse()
    try:
        asyncio.run(_run(args))
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
