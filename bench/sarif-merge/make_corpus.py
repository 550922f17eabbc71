#!/usr/bin/env python3
"""Writes a corpus of SARIF logs, at least SIZE_MB megabytes in FILES files, from real seed logs.

Usage: make_corpus.py OUT_DIR SIZE_MB FILES SEED.sarif...

File i is a copy of seed i % len(seeds) (a seed without results is skipped) whose results are
replicated until the file is about SIZE_MB / FILES megabytes, pretty-printed as most tools write them.
Every copy of a result is made a different finding, so that a merger that de-duplicates must keep all
of them and every merger's output has the same number of results: partialFingerprints and
fingerprints values get a copy tag appended, message.text gets the tag (a message that only had an id
gets a text), and result guids are replaced by new ones. Rules, artifacts and indexes stay as in the
seed, except a ruleIndex that names no rule (one fixture has them; the Multitool aborts on them),
which is dropped. Copies of one seed keep the seed's tool and category, which a merger coalesces.

OUT_DIR/corpus.json records what a benchmark checks against: the files, their total size on disk
and minified (UTF-8, no insignificant whitespace), and the number of results.
"""
import json
import math
import os
import sys
import uuid

TAG_NAMESPACE = uuid.UUID("6f2b7c3e-9a41-4d8e-b5a0-3c1e2f4d5a6b")


def pretty(doc):
    return json.dumps(doc, indent=2, ensure_ascii=False).encode("utf-8")


def minified(doc):
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def distinct_result(result, tag):
    """A shallow copy of result that no merger can take for a duplicate of another copy."""
    r = dict(result)
    for key in ("partialFingerprints", "fingerprints"):
        if isinstance(r.get(key), dict):
            r[key] = {k: f"{v}-{tag}" if isinstance(v, str) else v for k, v in r[key].items()}
    message = dict(r.get("message") or {})
    message["text"] = f'{message.get("text", message.get("id", "finding"))} [copy {tag}]'
    r["message"] = message
    for key in ("guid", "correlationGuid"):
        if isinstance(r.get(key), str):
            r[key] = str(uuid.uuid5(TAG_NAMESPACE, f"{key}/{tag}"))
    return r


def drop_dangling_rule_indexes(seed):
    """How many results named a driver rule by an index the run does not have (the Multitool aborts on
    them); those results keep their ruleId and lose the index, which makes them valid SARIF."""
    dropped = 0
    for run in seed.get("runs") or []:
        rules = ((run.get("tool") or {}).get("driver") or {}).get("rules") or []
        for result in run.get("results") or []:
            index = result.get("ruleIndex")
            if isinstance(index, int) and not 0 <= index < len(rules) and "toolComponent" not in (result.get("rule") or {}):
                del result["ruleIndex"]
                if isinstance(result.get("rule"), dict):
                    result["rule"].pop("index", None)
                dropped += 1
    return dropped


def replicate(seed, file_no, copies):
    """The seed with each run's results repeated `copies` times, every copy distinct."""
    doc = dict(seed)
    runs = []
    count = 0
    for run_no, run in enumerate(seed.get("runs") or []):
        run = dict(run)
        details = run.get("automationDetails")
        if isinstance(details, dict) and isinstance(details.get("guid"), str):
            # A run guid names one analysis; copies in other files are other analyses.
            run["automationDetails"] = dict(details, guid=str(uuid.uuid5(TAG_NAMESPACE, f"run/{file_no}/{run_no}")))
        results = run.get("results") or []
        run["results"] = [
            distinct_result(result, f"{file_no}.{copy}.{run_no}.{i}")
            for copy in range(copies)
            for i, result in enumerate(results)
        ]
        count += len(run["results"])
        runs.append(run)
    doc["runs"] = runs
    return doc, count


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    out_dir, size_mb, files, seed_paths = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    seeds = []
    for path in seed_paths:
        with open(path, encoding="utf-8-sig") as f:
            seed = json.load(f)
        if sum(len(run.get("results") or []) for run in seed.get("runs") or []) == 0:
            print(f"  skipping {path}: no results to replicate", file=sys.stderr)
            continue
        if dropped := drop_dangling_rule_indexes(seed):
            print(f"  {path}: dropped {dropped} ruleIndex values that name no rule", file=sys.stderr)
        seeds.append((os.path.basename(path), seed))
    if not seeds:
        sys.exit("no results in the seed logs")
    os.makedirs(out_dir, exist_ok=True)

    per_file = size_mb * 1024 * 1024 / files
    growth = {}  # seed index -> (bytes without results, bytes per copy of the results)
    manifest = {"size_mb": size_mb, "files": [], "bytes": 0, "minified_bytes": 0, "results": 0}
    for file_no in range(files):
        seed_no = file_no % len(seeds)
        name, seed = seeds[seed_no]
        if seed_no not in growth:
            one, two = len(pretty(replicate(seed, file_no, 1)[0])), len(pretty(replicate(seed, file_no, 2)[0]))
            growth[seed_no] = (one - (two - one), max(two - one, 1))
        base, per_copy = growth[seed_no]
        copies = max(1, math.ceil((per_file - base) / per_copy))
        doc, count = replicate(seed, file_no, copies)
        text = pretty(doc)
        stem = name.removesuffix(".sarif")
        path = os.path.join(out_dir, f"{file_no:03d}-{stem}.sarif")
        with open(path, "wb") as f:
            f.write(text)
        manifest["files"].append(os.path.basename(path))
        manifest["bytes"] += len(text)
        manifest["minified_bytes"] += len(minified(doc))
        manifest["results"] += count
    with open(os.path.join(out_dir, "corpus.json"), "w") as f:
        json.dump(manifest, f, indent=2)


if __name__ == "__main__":
    main()
