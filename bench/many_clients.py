#!/usr/bin/python3
"""Every command on a book of many clients with one engagement each (issue 18 item 5).

    scripts/bench-clients                                   # builds the `bench` preset, then runs this
    /usr/bin/python3 bench/many_clients.py [--kontingent build/bench/kontingent] [--clients 100000]
                                           [--repetitions 3] [--data-dir build/bench/data]

A command that looks a client or an engagement up by id inside a loop over them is quadratic, which
a book of ~1,000 engagements (bench/generate.hpp) does not show and one of 10^5 clients does. The
book and its Toggl export come from scripts/make-many-clients-book.py (seed 2026) and are reused.
Each command runs `--repetitions` times; the best wall-clock run counts (other processes only ever
add time). `import` gets a fresh copy of the book before each run, not timed. The goal: every
command within 3x of `report`; the exit status is 1 when one is not. Raw figures go to
DATA_DIR/many-clients-results.json.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "scripts" / "make-many-clients-book.py"
GOAL = 3.0


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def wall(cmd):
    t0 = time.perf_counter()
    subprocess.run([str(c) for c in cmd], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kontingent", type=Path, default=ROOT / "build" / "bench" / "kontingent")
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "build" / "bench" / "data")
    args = parser.parse_args()

    args.data_dir.mkdir(parents=True, exist_ok=True)
    book = args.data_dir / f"clients-{args.clients}.book.json"
    export = args.data_dir / f"clients-{args.clients}.toggl.csv"
    if not book.exists() or not export.exists():
        log(f"generating {book} ...")
        subprocess.run(["/usr/bin/python3", GENERATOR, str(args.clients), book, "--toggl", export], check=True)

    k = args.kontingent
    middle = f"E{args.clients // 2:06d}"
    with tempfile.TemporaryDirectory(dir=args.data_dir) as scratch:
        scratch = Path(scratch)
        copy = scratch / "import.book.json"
        commands = {
            "check": [k, "check", book],
            "report": [k, "report", book],
            "report --format json": [k, "report", book, "--format", "json"],
            "triage": [k, "triage", book],
            "triage --format csv": [k, "triage", book, "--format", "csv"],
            "whatif --set rate=100": [k, "whatif", book, "--set", "rate=100"],
            "whatif --client": [k, "whatif", book, "--set", "rate=100", "--client", f"C{args.clients // 2:06d}"],
            "status": [k, "status", book, "--as-of", "2026-12-01"],
            f"terms {middle}": [k, "terms", book, middle],
            "convert to .kbin": [k, "convert", book, scratch / "book.kbin"],
            "import --from toggl": [k, "import", "--from", "toggl", export, "--into", copy],
        }
        results = {}
        for name, cmd in commands.items():
            runs = []
            for _ in range(args.repetitions):
                if name.startswith("import"):
                    shutil.copyfile(book, copy)
                runs.append(wall(cmd))
            results[name] = {"best": min(runs), "runs": runs}
            log(f"{name}: {min(runs):.2f} s")

    report = results["report"]["best"]
    print(f"{args.clients} clients of one engagement each ({book.stat().st_size / 1e6:.0f} MB JSON), "
          f"best of {args.repetitions}, wall clock; goal: within {GOAL:.0f}x of `report`\n")
    print("| command | seconds | × report | met |")
    print("|---|---:|---:|---|")
    failed = []
    for name, r in results.items():
        ratio = r["best"] / report
        met = ratio <= GOAL
        if not met:
            failed.append(name)
        print(f"| `{name}` | {r['best']:.2f} | {ratio:.2f} | {'yes' if met else 'NO'} |")
    (args.data_dir / "many-clients-results.json").write_text(
        json.dumps({"clients": args.clients, "kontingent": str(k), "results": results}, indent=1))
    if failed:
        print(f"\nslower than {GOAL:.0f}x report: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
