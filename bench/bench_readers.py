"""Peak memory of reading a large input: CSV, seed text and standard input, through `read_paths`.

    python -m bench.bench_readers                    # 100,000 synthetic articles (~450 MB a file)
    python -m bench.bench_readers --articles 2000    # a quick run

The synthetic corpus (`bench.corpus.iter_corpus`) is written once as CSV, seed text (`.txt`, a title
line given twice starts an article) and JSON Lines, streamed, under --out (reused between runs). Each
case then runs in a fresh child process that iterates `pipeline.readers.read_paths` over the file (or
`-` with the file as standard input) and counts articles; the child reports its own peak RSS
(`ru_maxrss`), CPU seconds and the seconds to its first article. No extraction: this is the reader alone.
"""
from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out" / "readers"
CASES = ("csv", "txt", "stdin-jsonl", "stdin-csv")

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from pipeline.readers import ReadError, read_paths
t0 = time.perf_counter()
first = None
articles = errors = 0
for item in read_paths([Path(sys.argv[1])]):
    if first is None:
        first = time.perf_counter() - t0
    if isinstance(item, ReadError):
        errors += 1
        if errors <= 3:
            print(item, file=sys.stderr)
    else:
        articles += 1
use = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"articles": articles, "errors": errors, "first_s": first, "wall_s": time.perf_counter() - t0,
                  "cpu_s": use.ru_utime + use.ru_stime, "peak_mb": use.ru_maxrss / 1024}))
"""


def write_inputs(out: Path, n: int, words: int) -> dict[str, Path]:
    """The corpus as CSV, seed text and JSON Lines (written once for the same size)."""
    from bench.corpus import iter_corpus

    out.mkdir(parents=True, exist_ok=True)
    paths = {"csv": out / f"articles{n}.csv", "txt": out / f"articles{n}.txt", "jsonl": out / f"articles{n}.jsonl"}
    if all(p.exists() for p in paths.values()):
        return paths
    part = {k: p.with_name(p.name + ".part") for k, p in paths.items()}  # a stopped run leaves no short file
    with (open(part["csv"], "w", encoding="utf-8", newline="") as fc,
          open(part["txt"], "w", encoding="utf-8") as ft,
          open(part["jsonl"], "w", encoding="utf-8") as fj):
        rows = csv.writer(fc)
        rows.writerow(["id", "title", "text", "published", "source", "lang"])
        for a in iter_corpus(n, words):
            day = a.published.isoformat() if a.published else ""
            rows.writerow([a.id, a.title, a.text, day, a.source, a.lang])
            ft.write(f"{a.title}\n{a.title}\n\n{a.text}\n\n")
            fj.write(json.dumps({"id": a.id, "title": a.title, "text": a.text, "published": day,
                                 "source": a.source, "lang": a.lang}, ensure_ascii=False) + "\n")
    for k, p in part.items():
        p.replace(paths[k])
    return paths


def run_case(case: str, paths: dict[str, Path]) -> dict:
    """One case in a fresh child process; its own report."""
    if case.startswith("stdin-"):
        with open(paths[case.removeprefix("stdin-")], "rb") as stdin:
            proc = subprocess.run([sys.executable, "-c", CHILD, "-"], cwd=ROOT, stdin=stdin,
                                  capture_output=True, text=True, check=False)
    else:
        proc = subprocess.run([sys.executable, "-c", CHILD, str(paths[case])], cwd=ROOT,
                              capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{case}: exit {proc.returncode}: {proc.stderr[-800:]}")
    if proc.stderr.strip():
        print(f"  {case} errors: {proc.stderr.strip()[:400]}", file=sys.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--words", type=int, default=500)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--cases", default=",".join(CASES), help=f"comma-separated, of {', '.join(CASES)}")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    paths = write_inputs(args.out, args.articles, args.words)
    print(f"inputs ready in {time.perf_counter() - t0:.0f} s: "
          + ", ".join(f"{k} {p.stat().st_size / 2**20:,.0f} MB" for k, p in paths.items()))
    for case in args.cases.split(","):
        r = run_case(case, paths)
        first = f"{r['first_s']:.2f}" if r["first_s"] is not None else "-"
        print(f"{case:12s} articles {r['articles']:,} errors {r['errors']} peak RSS {r['peak_mb']:,.0f} MB "
              f"CPU {r['cpu_s']:.1f} s wall {r['wall_s']:.1f} s first article after {first} s", flush=True)


if __name__ == "__main__":
    main()
