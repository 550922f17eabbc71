#!/usr/bin/env python3
"""Writes the same N checks for the three runners of bench/smoke-test/run.sh.

    make_checks.py DIR BASE_URL N

DIR/checks.yml        smoke-test's check file (status 200, JSON /status == "ok")
DIR/collection.json   the same requests and assertions as a Postman collection for Newman
DIR/urls.txt          one URL per line, for the sequential curl loop
"""
import json
import sys

out, base, n = sys.argv[1], sys.argv[2].rstrip("/"), int(sys.argv[3])
urls = [f"{base}/health/{i}" for i in range(n)]

with open(f"{out}/checks.yml", "w") as f:
    f.write("checks:\n")
    for i, url in enumerate(urls):
        f.write(f"  - name: health {i}\n    get: {url}\n    status: 200\n"
                "    expect: {json: [{pointer: /status, equals: ok}]}\n")

tests = [
    "pm.test('status 200', function () { pm.response.to.have.status(200); });",
    "pm.test('status ok', function () { pm.expect(pm.response.json().status).to.eql('ok'); });",
]
collection = {
    "info": {"name": "smoke-test bench", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
    "item": [{"name": f"health {i}", "request": {"method": "GET", "url": url},
              "event": [{"listen": "test", "script": {"type": "text/javascript", "exec": tests}}]}
             for i, url in enumerate(urls)],
}
with open(f"{out}/collection.json", "w") as f:
    json.dump(collection, f)

with open(f"{out}/urls.txt", "w") as f:
    f.write("\n".join(urls) + "\n")
