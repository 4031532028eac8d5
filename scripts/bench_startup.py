"""Start-up of whole `kkr` processes (issue 12), as ratios to `python -c pass` in the same run.

Run: scripts/bench --startup (or as part of scripts/bench). The commands run in turn, round
after round, and each round's times are divided by that round's `python -c pass`: pairing
keeps the ratio meaningful while the shared machine's speed drifts. Medians are reported.
Then `python -X importtime` of a roster: the import cost of each top-level module it loads.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KKR = str(ROOT / ".venv" / "bin" / "kkr")
ROUNDS = 15
IMPORT_RUNS = 5
ROSTER = ("roster", "nordjylland", "--on", "2023-06-01")


def commands(db_url: str) -> dict[str, list[str]]:
    return {
        "`python -c pass`": [sys.executable, "-c", "pass"],
        "`kkr --help`": [KKR, "--help"],
        "`kkr roster nordjylland` (demo, projection current)": [KKR, "--db", db_url, *ROSTER],
        "`kkr roster --all` (demo, projection current)": [KKR, "--db", db_url, "roster",
                                                          "--all", "--on", "2023-06-01"],
    }


def demo_database(folder: Path) -> str:
    url = f"sqlite:///{folder / 'startup-demo.sqlite'}"
    subprocess.run([KKR, "--db", url, "demo"], check=True, capture_output=True)
    return url


def wall(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def startup_rows(folder: Path, rounds: int = ROUNDS) -> list[list[str]]:
    """One row per command: median wall time and median ratio to `python -c pass`."""
    named = commands(demo_database(folder))
    times: dict[str, list[float]] = defaultdict(list)
    ratios: dict[str, list[float]] = defaultdict(list)
    for argv in named.values():
        wall(argv)  # warm the page cache once
    for _ in range(rounds):
        spent = {name: wall(argv) for name, argv in named.items()}
        base = spent["`python -c pass`"]
        for name, seconds in spent.items():
            times[name].append(seconds)
            ratios[name].append(seconds / base)
    targets = {"`kkr --help`": "≤ 0.15 s", "`kkr roster nordjylland` (demo, projection "
               "current)": "≤ 0.25 s"}
    return [[name, f"{statistics.median(times[name]) * 1e3:.0f} ms",
             f"{statistics.median(ratios[name]):.1f}", targets.get(name, "")] for name in named]


def import_rows(folder: Path, runs: int = IMPORT_RUNS) -> list[list[str]]:
    """The cumulative import time of each top-level module a roster loads (median of runs),
    largest first: `python -X importtime`, the lines without indentation."""
    url = f"sqlite:///{folder / 'startup-demo.sqlite'}"
    code = "import sys; from commands.cli.main import main; sys.exit(main())"
    spent: dict[str, list[int]] = defaultdict(list)
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-X", "importtime", "-c", code, "--db", url,
                               *ROSTER], capture_output=True, text=True, cwd=ROOT, check=True)
        for line in done.stderr.splitlines():
            parts = line.split("|")
            if line.startswith("import time:") and len(parts) == 3 and \
                    not parts[2].startswith("  ") and parts[1].strip().isdigit():
                spent[parts[2].strip()].append(int(parts[1]))
    medians = {name: statistics.median(us) for name, us in spent.items()}
    largest = sorted(medians.items(), key=lambda item: -item[1])
    shown = [[name, f"{us / 1e3:.1f} ms"] for name, us in largest if us >= 2000]
    return [*shown, ["all imports", f"{sum(medians.values()) / 1e3:.1f} ms"]]


def table(header: list[str], rows: list[list[str]]) -> str:
    return "\n".join("| " + " | ".join(r) + " |" for r in [header, ["---"] * len(header), *rows])


def report(folder: Path) -> str:
    timing = table(["command", "median wall", "ratio to `python -c pass`", "target"],
                   startup_rows(folder))
    imports = table(["top-level import of `kkr roster nordjylland`", "cumulative"],
                    import_rows(folder))
    return f"{timing}\n\n{imports}"


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        print(report(Path(tmp)))
