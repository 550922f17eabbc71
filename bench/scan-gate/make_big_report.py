#!/usr/bin/env python3
"""Writes a Trivy JSON report of at least SIZE_MB megabytes by replicating real findings.

Usage: make_big_report.py OUT SIZE_MB SOURCE.trivy.json...

Every vulnerability of the source reports is copied again and again with the package name made
unique per copy (lodash -> lodash-17), so that no two copies are the same finding and a gate has to
count every one of them. The result keeps Trivy's layout (SchemaVersion 2, Results[]) and field set.
"""
import json
import sys


def main():
    out, size_mb, sources = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    results = []
    for path in sources:
        with open(path) as f:
            report = json.load(f)
        for result in report.get("Results") or []:
            if result.get("Vulnerabilities"):
                results.append(result)
    if not results:
        sys.exit("no vulnerabilities in the source reports")
    template = json.loads(json.dumps(report))
    target_bytes = int(size_mb * 1024 * 1024)
    written_results = []
    size = 0
    copy = 0
    while size < target_bytes:
        for result in results:
            clone = dict(result)
            vulns = []
            for v in result["Vulnerabilities"]:
                c = dict(v)
                c["PkgName"] = f'{v.get("PkgName", "pkg")}-{copy}'
                vulns.append(c)
            clone["Vulnerabilities"] = vulns
            clone["Target"] = f'{result.get("Target", "target")} #{copy}'
            written_results.append(clone)
            size += len(json.dumps(vulns, indent=2))
        copy += 1
    template["Results"] = written_results
    with open(out, "w") as f:
        json.dump(template, f, indent=2)


if __name__ == "__main__":
    main()
