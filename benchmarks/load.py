"""The published site under load: N concurrent clients on 127.0.0.1, a mix of pages.

Builds the database into a temporary folder, starts `python build.py serve` on 127.0.0.1,
warms every page, then runs ``--clients`` concurrent clients, each asking for the pages of the
mix in turn, until ``--requests`` requests are done or ``--seconds`` have passed. Prints, per
page and for all, the requests per second and the p50, p95 and p99 latencies in milliseconds.
The clients share the machine with the server: on 2 cores they take part of its CPU.

``--hostile N`` runs the load twice on the same server: first alone (the baseline), then with N
more clients sending, one after another, requests the server must refuse or stop (the
expensive calls through ``sql=`` and ``_where=``, a statement that runs until the time limit,
thousands of parameters), and prints the normal pages' figures of both runs and their ratio.
``--rendered`` sends the normal pages with a cookie, so each is rendered (SQL threads and all)
instead of answered from the page cache.

    python benchmarks/load.py [--clients 32] [--requests 1500] [--seconds 60] [--json]
                              [--hostile 3] [--rendered]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path

from sco_data.publish.datasette_compat import http_client

httpx = http_client()  # the one Datasette brings: httpx with 0.65, httpx2 with 1.0

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.pages import served  # noqa: E402

MIX = [
    "/",
    "/sco/quotes",
    "/-/articles/ap-leaders-meet-2024-07-03",
]


def _text(characters: int, letter: str = "a") -> str:
    return f"replace(hex(zeroblob({characters // 2})),'0','{letter}')"


_BOMBS = [
    f"{_text(999_998)} like '%' || {_text(49_998)} || 'b'",
    f"{_text(999_998)} glob '*' || {_text(49_998)} || 'b'",
    f"instr({_text(999_998)}, {_text(50_000)} || 'b')",
    f"length(replace({_text(999_998)}, {_text(50_000)} || 'b', 'x'))",
    f"length(trim({_text(999_998)}, {_text(10_000, 'b')} || 'a'))",
]
_ENDLESS = ("(with recursive n(x) as (select 1 union all select x + 1 from n) "
            "select count(*) from n)")
HOSTILE = [
    *(f"/sco.json?{urllib.parse.urlencode({'sql': f'select {bomb}'})}" for bomb in _BOMBS),
    *(f"/sco/quotes?{urllib.parse.urlencode({'_where': bomb})}" for bomb in _BOMBS),
    f"/sco.json?{urllib.parse.urlencode({'sql': f'select {_ENDLESS}'})}",
    f"/sco/quotes?{urllib.parse.urlencode({'_where': f'{_ENDLESS} > 0'})}",
    "/sco/quotes?" + "&" * 6_000,
    "/sco/quotes?" + "&".join(["_facet=speaker"] * 200),
]
"""Requests the server must refuse at once or stop at its time limit."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=1500, help="stop after this many")
    parser.add_argument("--seconds", type=float, default=60, help="stop after this long")
    parser.add_argument("--json", action="store_true", help="one JSON object per page")
    parser.add_argument("--hostile", type=int, default=0,
                        help="then again with this many clients sending hostile requests")
    parser.add_argument("--rendered", action="store_true",
                        help="render every normal page instead of answering it from memory")
    arguments = parser.parse_args()
    with served() as base:
        times, wall, _ = asyncio.run(_load(base, arguments, hostile=0))
        if arguments.hostile:
            mixed, mixed_wall, refused = asyncio.run(_load(base, arguments, arguments.hostile))
    _report(times, wall, arguments)
    if arguments.hostile:
        print(f"\nwith {arguments.hostile} hostile clients ({sum(refused.values())} hostile "
              f"requests: {', '.join(f'{status} {n}' for status, n in sorted(refused.items()))})")
        _report(mixed, mixed_wall, arguments)
        _compare(times, mixed, arguments)
    return 0


async def _load(base: str, arguments: argparse.Namespace, hostile: int
                ) -> tuple[dict[str, list[float]], float, Counter[int]]:
    times: dict[str, list[float]] = defaultdict(list)
    refused: Counter[int] = Counter()
    headers = {"Cookie": "sco-benchmark=render"} if arguments.rendered else {}
    limits = httpx.Limits(max_connections=arguments.clients + hostile)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60,
                                 headers=headers) as client:
        for path in MIX:  # warm
            (await client.get(path)).raise_for_status()
        started = time.perf_counter()
        deadline = started + arguments.seconds
        budget = iter(range(arguments.requests))
        done = asyncio.Event()

        async def one_client(offset: int) -> None:
            turn = offset
            while time.perf_counter() < deadline and next(budget, None) is not None:
                path = MIX[turn % len(MIX)]
                turn += 1
                began = time.perf_counter()
                response = await client.get(path)
                response.raise_for_status()
                times[path].append((time.perf_counter() - began) * 1000)

        async def one_hostile_client(offset: int) -> None:
            turn = offset
            while not done.is_set():
                response = await client.get(HOSTILE[turn % len(HOSTILE)])
                refused[response.status_code] += 1
                turn += 1

        attackers = [asyncio.create_task(one_hostile_client(n)) for n in range(hostile)]
        await asyncio.gather(*(one_client(n) for n in range(arguments.clients)))
        wall = time.perf_counter() - started
        done.set()
        await asyncio.gather(*attackers)
        return times, wall, refused


def _compare(alone: dict[str, list[float]], mixed: dict[str, list[float]],
             arguments: argparse.Namespace) -> None:
    """The normal pages' p50 and p99 with hostile requests over the same without."""
    print(f"\n{'all normal pages':<44} {'alone':>9} {'hostile':>9} {'ratio':>6}")
    for name, cut in (("p50 ms", 49), ("p99 ms", 98)):
        a, b = (_cut([v for values in run.values() for v in values], cut) for run in (alone, mixed))
        if arguments.json:
            print(json.dumps({"figure": name, "alone": round(a, 1), "hostile": round(b, 1),
                              "ratio": round(b / a, 2)}))
        else:
            print(f"{name:<44} {a:9.1f} {b:9.1f} {b / a:6.2f}")


def _cut(values: list[float], cut: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[cut]


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
