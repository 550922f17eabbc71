#!/usr/bin/python3
"""Validate CycloneDX JSON documents against the official schema: validate_cyclonedx.py SCHEMA FILE...

SCHEMA is bom-1.x(.SNAPSHOT).schema.json as the CycloneDX specification publishes it (here from the
@cyclonedx/cyclonedx-library npm package); the schemas it refers to by relative name (spdx, jsf) are
read from the same folder, never from the network. Uses Debian's python3-jsonschema (Draft 7).
Prints "FILE: /json/path: message" per error or "FILE: valid". Exit 0 all valid, 1 some file
invalid, 2 usage or unreadable input.
"""

import json
import os
import sys

import jsonschema


def load(path):
    try:
        with open(path, encoding="utf-8") as stream:
            return json.load(stream)
    except (OSError, ValueError) as problem:
        print(f"{path}: cannot read JSON: {problem}", file=sys.stderr)
        sys.exit(2)


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    schema_path = argv[1]
    schema = load(schema_path)
    base = schema["$id"].rsplit("/", 1)[0] + "/"
    # The relative references resolve against the schema's $id (http://cyclonedx.org/schema/...):
    # every sibling schema file is stored under that address, so nothing is fetched.
    store = {}
    folder = os.path.dirname(os.path.abspath(schema_path))
    for name in sorted(os.listdir(folder)):
        if name.endswith(".schema.json"):
            sibling = load(os.path.join(folder, name))
            store[base + name] = sibling
            if "$id" in sibling:
                store[sibling["$id"]] = sibling
    cls = jsonschema.Draft7Validator
    cls.check_schema(schema)
    resolver = jsonschema.RefResolver(base_uri=schema["$id"], referrer=schema, store=store)
    validator = cls(schema, resolver=resolver, format_checker=jsonschema.FormatChecker())
    invalid = 0
    for path in argv[2:]:
        errors = sorted(validator.iter_errors(load(path)), key=lambda e: list(map(str, e.absolute_path)))
        for error in errors:
            print(f"{path}: /{'/'.join(str(part) for part in error.absolute_path)}: {error.message}")
        if errors:
            invalid += 1
        else:
            print(f"{path}: valid")
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
