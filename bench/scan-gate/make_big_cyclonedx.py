#!/usr/bin/env python3
"""Writes the findings of a Trivy JSON report as a CycloneDX 1.6 document of about the same size.

Usage: make_big_cyclonedx.py OUT TRIVY_REPORT

The benchmark's CycloneDX case: the same findings as its Trivy case, with the fields Trivy's
CycloneDX output has: one component per package found (bom-ref = its purl, else a generated id); per
finding one vulnerability with its affected component in `affects[]`, ratings from the vendor
severities and CVSS scores, CWEs, description, the "Upgrade X to version Y" recommendation,
advisories and dates. Trivy itself lists each id once with every affected component; one entry per
finding keeps each finding's full record, as in the Trivy JSON, so both inputs are about the same
size (a few percent apart) and hold the same findings: scan-gate must count the same total in both.
"""
import json
import sys

SEVERITY = {"CRITICAL": "critical", "HIGH": "high", "MEDIUM": "medium", "LOW": "low"}
VENDOR = {1: "low", 2: "medium", 3: "high", 4: "critical"}


def method_of(vector):
    if vector.startswith("CVSS:3.1/"):
        return "CVSSv31"
    if vector.startswith("CVSS:3.0/"):
        return "CVSSv3"
    return "CVSSv3"


def ratings_of(v):
    ratings = []
    for source, level in sorted((v.get("VendorSeverity") or {}).items()):
        if level in VENDOR:
            ratings.append({"source": {"name": source}, "severity": VENDOR[level]})
    for source, cvss in sorted((v.get("CVSS") or {}).items()):
        if cvss.get("V2Score") is not None:
            ratings.append({"source": {"name": source}, "score": cvss["V2Score"], "method": "CVSSv2",
                            "vector": cvss.get("V2Vector", "")})
        if cvss.get("V3Score") is not None:
            vector = cvss.get("V3Vector", "")
            ratings.append({"source": {"name": source}, "score": cvss["V3Score"], "method": method_of(vector),
                            "vector": vector})
    if not ratings:
        ratings.append({"source": {"name": v.get("SeveritySource") or "trivy"},
                        "severity": SEVERITY.get(v.get("Severity", ""), "unknown")})
    return ratings


def main():
    out, source = sys.argv[1], sys.argv[2]
    with open(source) as f:
        report = json.load(f)
    components = {}
    vulnerabilities = {}
    for result in report.get("Results") or []:
        # Trivy's CycloneDX lists every package it found as a component, vulnerable or not.
        for package in result.get("Packages") or []:
            purl = (package.get("Identifier") or {}).get("PURL")
            own_ref = f"{result.get('Target', '')}:{package.get('Name', '')}@{package.get('Version', '')}"
            # The same package in another target is another component (Trivy gives it another bom-ref).
            ref = purl if purl and purl not in components else own_ref
            component = {"bom-ref": ref, "type": "library", "name": package.get("Name", ""),
                         "version": package.get("Version", "")}
            if purl:
                component["purl"] = purl
            if package.get("Licenses"):
                component["licenses"] = [{"license": {"name": name}} for name in package["Licenses"]]
            properties = {"PkgType": result.get("Type", ""), "PkgID": package.get("ID", ""),
                          "SrcName": package.get("SrcName", ""), "SrcVersion": package.get("SrcVersion", ""),
                          "LayerDigest": (package.get("Layer") or {}).get("Digest", ""),
                          "LayerDiffID": (package.get("Layer") or {}).get("DiffID", "")}
            component["properties"] = [{"name": f"aquasecurity:trivy:{k}", "value": v}
                                       for k, v in properties.items() if v]
            components.setdefault(ref, component)
        for v in result.get("Vulnerabilities") or []:
            name, version = v.get("PkgName", ""), v.get("InstalledVersion", "")
            purl = (v.get("PkgIdentifier") or {}).get("PURL")
            ref = purl or f"{result.get('Target', '')}:{name}@{version}"
            if ref not in components:
                component = {"bom-ref": ref, "type": "library", "name": name, "version": version}
                if purl:
                    component["purl"] = purl
                component["properties"] = [{"name": "aquasecurity:trivy:PkgType", "value": result.get("Type", "")}]
                components[ref] = component
            key = (v["VulnerabilityID"], ref)
            entry = vulnerabilities.get(key)
            if entry is None:
                entry = {"id": v["VulnerabilityID"], "source": {"name": v.get("SeveritySource") or "trivy"},
                         "ratings": ratings_of(v)}
                cwes = [int(c[4:]) for c in v.get("CweIDs") or [] if c.startswith("CWE-") and c[4:].isdigit()]
                if cwes:
                    entry["cwes"] = cwes
                if v.get("Description"):
                    entry["description"] = v["Description"]
                if v.get("FixedVersion"):
                    entry["recommendation"] = f"Upgrade {name} to version {v['FixedVersion']}"
                entry["advisories"] = [{"url": u} for u in ([v["PrimaryURL"]] if v.get("PrimaryURL") else [])
                                       + (v.get("References") or [])]
                for date_key, field in (("PublishedDate", "published"), ("LastModifiedDate", "updated")):
                    if v.get(date_key):
                        entry[field] = v[date_key]
                entry["affects"] = []
                vulnerabilities[key] = entry
            if not entry["affects"]:
                entry["affects"].append({"ref": ref, "versions": [{"version": version, "status": "affected"}]})
    bom = {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {
            "tools": {"components": [{"type": "application", "group": "aquasecurity", "name": "trivy",
                                      "version": (report.get("Trivy") or {}).get("Version", "dev")}]},
            "component": {"bom-ref": "scanned-artifact", "type": "container",
                          "name": report.get("ArtifactName", "artifact")},
        },
        "components": list(components.values()),
        "vulnerabilities": list(vulnerabilities.values()),
    }
    with open(out, "w") as f:
        json.dump(bom, f, indent=2)


if __name__ == "__main__":
    main()
