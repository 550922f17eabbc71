#!/usr/bin/env python3
"""Writes a Grype JSON report of at least SIZE_MB megabytes by replicating real matches.

Usage: make_big_grype.py OUT SIZE_MB SOURCE.grype.json...

Every match of the source reports is copied again and again with the artifact's name and purl made
unique per copy (lodash -> lodash-17), so that no two copies are the same finding. The result keeps
Grype's layout (matches[], source, descriptor) from the last source report.
"""
import json
import sys


def main():
    out, size_mb, sources = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    matches = []
    seen = set()
    for path in sources:
        with open(path) as f:
            report = json.load(f)
        for m in report.get("matches") or []:
            a = m.get("artifact") or {}
            key = ((m.get("vulnerability") or {}).get("id"), a.get("name"), a.get("version"))
            if key not in seen:
                seen.add(key)
                matches.append(m)
    if not matches:
        sys.exit("no matches in the source reports")
    target_bytes = int(size_mb * 1024 * 1024)
    written = []
    size = 0
    copy = 0
    while size < target_bytes:
        for m in matches:
            c = dict(m)
            a = dict(m.get("artifact") or {})
            name = f'{a.get("name", "pkg")}-{copy}'
            a["name"] = name
            purl = a.get("purl")
            if purl:
                head, _, tail = purl.partition("@")
                a["purl"] = f"{head}-{copy}@{tail}" if tail else f"{head}-{copy}"
            c["artifact"] = a
            written.append(c)
            size += len(json.dumps(c, indent=2))
        copy += 1
    report["matches"] = written
    with open(out, "w") as f:
        json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()
