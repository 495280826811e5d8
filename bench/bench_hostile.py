"""Time and peak memory of extracting one pathological article, and database growth per uploaded KB.

    python -m bench.bench_hostile                   # every kind at 125k, 250k and 500k characters
    python -m bench.bench_hostile --sizes 20000 --kinds place_list clause_chain

Each case runs in a fresh Python process (so peak RSS is that article's alone): the gazetteer is
loaded first, then the article is extracted and stored in a new SQLite database. The bound the
project holds to (issue "Hostile and careless input"): each stored article (a long input is split into
parts of at most 50,000 characters, or refused) within 2 s and 300 MB, and the database growth per KB of
input within 20x.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.hostile import KINDS

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, os, resource, sys, time, datetime as dt
from pathlib import Path
sys.path.insert(0, {root!r})
from bench.hostile import make_text
from gazetteer.matcher import default_matcher
from pipeline import ingest, store
matcher = default_matcher()
base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
text = make_text({kind!r}, {chars})
data = json.dumps({{"id": "hostile", "title": "hostile", "text": text, "published": "2020-06-03"}},
                  ensure_ascii=False).encode("utf-8")
db = Path({db!r})
conn = store.open_db(db)
t0 = time.perf_counter()
report = ingest.ingest_upload("hostile.jsonl", data, conn, matcher=matcher)
seconds = time.perf_counter() - t0
conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
evidence = conn.execute("SELECT COALESCE(MAX(LENGTH(evidence)), 0) FROM claims").fetchone()[0]
parts = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
conn.close()
size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
print(json.dumps({{"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "base_mb": base_rss / 1024, "claims": report.claims_new, "errors": list(report.errors)[:2],
                  "input_kb": len(data) / 1024, "db_kb": size / 1024, "max_evidence": evidence, "parts": parts}}))
"""


def run_case(kind: str, chars: int, timeout: float) -> dict:
    """Measure one case in a child process; a case over the timeout is reported as such."""
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.db"
        from pipeline import store
        store.open_db(empty).close()
        empty_kb = sum(p.stat().st_size for p in empty.parent.glob("empty.db*")) / 1024
        code = _CHILD.format(root=str(ROOT), kind=kind, chars=chars, db=str(Path(tmp) / "case.db"))
        try:
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                                 check=False)
        except subprocess.TimeoutExpired:
            return {"kind": kind, "chars": chars, "timeout": timeout}
        if out.returncode != 0:
            return {"kind": kind, "chars": chars, "failed": out.stderr.strip().splitlines()[-1:]}
        result = json.loads(out.stdout.strip().splitlines()[-1])
        result["growth_per_kb"] = (result["db_kb"] - empty_kb) / max(result["input_kb"], 1e-9)
        return {"kind": kind, "chars": chars, **result}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[125_000, 250_000, 500_000])
    ap.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS)
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds before a case is abandoned")
    args = ap.parse_args(argv)
    print(f"{'kind':<16} {'chars':>8} {'seconds':>8} {'parts':>5} {'s/part':>6} {'peak MB':>8} {'claims':>7} "
          f"{'max evid.':>9} {'DB KB/KB':>8}  note")
    for kind in args.kinds:
        for chars in args.sizes:
            r = run_case(kind, chars, args.timeout)
            if "timeout" in r:
                print(f"{kind:<16} {chars:>8} {'>' + str(int(args.timeout)):>8}  (did not finish)", flush=True)
                continue
            if "failed" in r:
                print(f"{kind:<16} {chars:>8}  failed: {r['failed']}", flush=True)
                continue
            note = "; ".join(r["errors"])[:80]
            per_part = r["seconds"] / max(r["parts"], 1)
            print(f"{kind:<16} {chars:>8} {r['seconds']:>8.2f} {r['parts']:>5} {per_part:>6.2f} {r['peak_mb']:>8.0f} "
                  f"{r['claims']:>7} {r['max_evidence']:>9} {r['growth_per_kb']:>8.1f}  {note}", flush=True)


if __name__ == "__main__":
    main()
