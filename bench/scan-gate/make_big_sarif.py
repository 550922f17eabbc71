#!/usr/bin/env python3
"""Writes a SARIF 2.1.0 log of at least SIZE_MB megabytes by replicating real results.

Usage: make_big_sarif.py OUT SIZE_MB SOURCE.sarif...

Each run of the source logs is kept with its tool and rules, and its results are copied again and
again with every location's uri put under a directory per copy (src/a.js -> copy-17/src/a.js) and
fingerprints made unique per copy, so that no two copies are the same result (sarif-merge's identity)
and a gate has to count every one of them. With RULES_LAST=1 in the environment, each run's tool (and
so its rules) is written after its results, which SARIF allows and readers must handle.
"""
import json
import os
import sys


def relocated(result, copy):
    c = json.loads(json.dumps(result))
    for location in c.get("locations") or []:
        artifact = (location.get("physicalLocation") or {}).get("artifactLocation")
        if artifact and "uri" in artifact:
            artifact["uri"] = f'copy-{copy}/{artifact["uri"]}'
    for key in ("fingerprints", "partialFingerprints"):
        if isinstance(c.get(key), dict):
            c[key] = {k: f"{v}-{copy}" for k, v in c[key].items()}
    return c


def main():
    out, size_mb, sources = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    runs = []
    for path in sources:
        with open(path) as f:
            log = json.load(f)
        for run in log.get("runs") or []:
            if run.get("results"):
                runs.append(run)
    if not runs:
        sys.exit("no results in the source logs")
    target_bytes = int(size_mb * 1024 * 1024)
    written = [dict(run, results=[]) for run in runs]
    size = 0
    copy = 0
    while size < target_bytes:
        for run, out_run in zip(runs, written):
            for result in run["results"]:
                c = relocated(result, copy)
                out_run["results"].append(c)
                size += len(json.dumps(c, indent=2))
        copy += 1
    if os.environ.get("RULES_LAST") == "1":
        written = [dict([(k, v) for k, v in run.items() if k != "tool"] + [("tool", run["tool"])]) for run in written]
    log = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": written}
    with open(out, "w") as f:
        json.dump(log, f, indent=2)


if __name__ == "__main__":
    main()
