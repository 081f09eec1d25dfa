"""The published site under load: N concurrent clients on 127.0.0.1, a mix of pages.

Builds the database into a temporary folder, starts `python build.py serve` on 127.0.0.1,
warms every page, then runs ``--clients`` concurrent clients, each asking for the pages of the
mix in turn, until ``--requests`` requests are done or ``--seconds`` have passed. Prints, per
page and for all, the requests per second and the p50, p95 and p99 latencies in milliseconds.
The clients share the machine with the server: on 2 cores they take part of its CPU.

    python benchmarks/load.py [--clients 32] [--requests 1500] [--seconds 60] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.pages import served  # noqa: E402

MIX = [
    "/",
    "/sco/quotes",
    "/-/articles/ap-leaders-meet-2024-07-03",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=1500, help="stop after this many")
    parser.add_argument("--seconds", type=float, default=60, help="stop after this long")
    parser.add_argument("--json", action="store_true", help="one JSON object per page")
    arguments = parser.parse_args()
    with served() as base:
        times, wall = asyncio.run(_load(base, arguments))
    _report(times, wall, arguments)
    return 0


async def _load(base: str, arguments: argparse.Namespace) -> tuple[dict[str, list[float]], float]:
    times: dict[str, list[float]] = defaultdict(list)
    limits = httpx.Limits(max_connections=arguments.clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        for path in MIX:  # warm
            (await client.get(path)).raise_for_status()
        started = time.perf_counter()
        deadline = started + arguments.seconds
        budget = iter(range(arguments.requests))

        async def one_client(offset: int) -> None:
            turn = offset
            while time.perf_counter() < deadline and next(budget, None) is not None:
                path = MIX[turn % len(MIX)]
                turn += 1
                began = time.perf_counter()
                response = await client.get(path)
                response.raise_for_status()
                times[path].append((time.perf_counter() - began) * 1000)

        await asyncio.gather(*(one_client(n) for n in range(arguments.clients)))
        return times, time.perf_counter() - started


def _report(times: dict[str, list[float]], wall: float, arguments: argparse.Namespace) -> None:
    rows = {path: times[path] for path in MIX}
    rows["all"] = [value for values in times.values() for value in values]
    if not arguments.json:
        print(f"{arguments.clients} clients, {len(rows['all'])} requests in {wall:.1f} s")
        print(f"{'page':<44} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for path, values in rows.items():
        cuts = statistics.quantiles(values, n=100, method="inclusive")
        figures = {"page": path, "clients": arguments.clients, "requests": len(values),
                   "req_per_s": round(len(values) / wall, 1), "p50_ms": round(cuts[49], 1),
                   "p95_ms": round(cuts[94], 1), "p99_ms": round(cuts[98], 1)}
        if arguments.json:
            print(json.dumps(figures))
        else:
            print(f"{path:<44} {figures['req_per_s']:7.1f} {figures['p50_ms']:7.1f} "
                  f"{figures['p95_ms']:7.1f} {figures['p99_ms']:7.1f}")


if __name__ == "__main__":
    sys.exit(main())
