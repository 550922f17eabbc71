#!/usr/bin/env python3
"""Writes a Trivy JSON report of at least SIZE_MB megabytes by replicating real findings.

Usage: make_big_report.py OUT SIZE_MB SOURCE.trivy.json...

Every vulnerability of the source reports is copied again and again with the package name and purl
made unique per copy (lodash -> lodash-17), so that no two copies are the same finding and a gate has to
count every one of them. The result keeps Trivy's layout (SchemaVersion 2, Results[]) and field set.
"""
import json
import sys


def main():
    out, size_mb, sources = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    results = []
    seen = set()
    for path in sources:
        with open(path) as f:
            report = json.load(f)
        for result in report.get("Results") or []:
            # A finding reported twice (same id, package, version) is one finding to a gate that
            # de-duplicates; keep one so both gates must count the same numbers.
            unique = []
            for v in result.get("Vulnerabilities") or []:
                key = (v.get("VulnerabilityID"), v.get("PkgName"), v.get("InstalledVersion"))
                if key not in seen:
                    seen.add(key)
                    unique.append(v)
            if unique:
                results.append(dict(result, Vulnerabilities=unique))
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
                name = f'{v.get("PkgName", "pkg")}-{copy}'
                c["PkgName"] = name
                if "PkgID" in v:
                    c["PkgID"] = f'{name}@{v.get("InstalledVersion", "")}'
                purl = (v.get("PkgIdentifier") or {}).get("PURL")
                if purl:
                    # pkg:npm/lodash@4.17.20 -> pkg:npm/lodash-17@4.17.20
                    head, _, tail = purl.partition("@")
                    c["PkgIdentifier"] = dict(v["PkgIdentifier"], PURL=f"{head}-{copy}@{tail}" if tail else f"{head}-{copy}")
                vulns.append(c)
            clone["Vulnerabilities"] = vulns
            clone["Target"] = f'{result.get("Target", "target")} #{copy}'
            written_results.append(clone)
            size += len(json.dumps(clone, indent=2))
        copy += 1
    template["Results"] = written_results
    with open(out, "w") as f:
        json.dump(template, f, indent=2)


if __name__ == "__main__":
    main()
