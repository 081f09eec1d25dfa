"""How fast `import sco_data` is, and its first call, each measured in fresh processes.

Reports medians over repeated runs, each in a new Python process:
  - `import pydantic` (the one library the package imports), for comparison;
  - `import sco_data`;
  - the first `sco_data.quotes()` call with the database already in the cache;
  - the first call with an empty cache (the database is built), fewer runs.

    python benchmarks/api.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

TIMED = {
    "import pydantic": ("", "import pydantic"),
    "import sco_data": ("", "import sco_data"),
    "first quotes(), cached database": ("import sco_data", "sco_data.quotes()"),
    "first quotes(), empty cache (builds)": ("import sco_data", "sco_data.quotes()"),
}
PROGRAM = """
import time
{setup}
started = time.perf_counter()
{timed}
print(time.perf_counter() - started)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="runs per measurement")
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as cache:
        environment = {**os.environ, "SCO_DATA_CACHE": cache}
        _run("import sco_data; sco_data.quotes()", environment)  # fill the cache
        print(f"{'measurement':<40} {'median ms':>9} {'runs':>5}")
        for name, (setup, timed) in TIMED.items():
            builds = "empty cache" in name
            runs = max(3, repeat // 5) if builds else repeat
            seconds = []
            for run in range(runs):
                env = environment
                if builds:
                    env = {**environment, "SCO_DATA_CACHE": os.path.join(cache, f"empty-{run}")}
                seconds.append(float(_run(PROGRAM.format(setup=setup, timed=timed), env)))
            print(f"{name:<40} {statistics.median(seconds) * 1000:9.1f} {runs:5d}")
    return 0


def _run(code: str, environment: dict[str, str]) -> str:
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True,
                          text=True, check=True).stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
