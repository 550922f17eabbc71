#!/usr/bin/python3
"""Validate JSON files against a JSON schema: validate_schema.py SCHEMA FILE...

Uses Debian's python3-jsonschema. The validator (Draft 4 or Draft 7) is picked from the schema's
"$schema"; formats are checked where jsonschema can. Schemas the schema refers to by a relative name
(CycloneDX's spdx and jsf) are read from the schema's own folder, never from the network. Every error is printed as
"FILE: /json/path: message". Exit status: 0 all valid, 1 some file invalid, 2 usage or unreadable
input.
"""

import json
import os
import sys

import jsonschema

VALIDATORS = {
    "draft-04": jsonschema.Draft4Validator,
    "draft-06": getattr(jsonschema, "Draft6Validator", jsonschema.Draft7Validator),
    "draft-07": jsonschema.Draft7Validator,
}


def validator_class(schema):
    declared = schema.get("$schema", "")
    for marker, cls in VALIDATORS.items():
        if marker in declared:
            return cls
    return jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)


def json_path(error):
    return "/" + "/".join(str(part) for part in error.absolute_path)


def load(path):
    try:
        # utf-8-sig: a leading byte order mark is skipped, as RFC 8259 allows and gantry does.
        with open(path, encoding="utf-8-sig") as stream:
            return json.load(stream)
    except (OSError, ValueError) as problem:
        print(f"{path}: cannot read JSON: {problem}", file=sys.stderr)
        sys.exit(2)


def sibling_store(schema_path, schema):
    """The *.schema.json files beside the schema, stored under the addresses its $id resolves
    relative references to, so that a reference to a sibling is never fetched."""
    if "$id" not in schema:
        return {}
    base = schema["$id"].rsplit("/", 1)[0] + "/"
    folder = os.path.dirname(os.path.abspath(schema_path))
    store = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".schema.json"):
            sibling = load(os.path.join(folder, name))
            store[base + name] = sibling
            if isinstance(sibling, dict) and "$id" in sibling:
                store[sibling["$id"]] = sibling
    return store


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    schema = load(argv[1])
    cls = validator_class(schema)
    cls.check_schema(schema)
    store = sibling_store(argv[1], schema)
    resolver = jsonschema.RefResolver.from_schema(schema, id_of=cls.ID_OF, store=store) if store else None
    validator = cls(schema, resolver=resolver,
                    format_checker=cls.FORMAT_CHECKER if hasattr(cls, "FORMAT_CHECKER")
                    else jsonschema.FormatChecker())
    invalid = 0
    for path in argv[2:]:
        errors = sorted(validator.iter_errors(load(path)), key=lambda e: list(e.absolute_path))
        for error in errors:
            print(f"{path}: {json_path(error)}: {error.message}")
        if errors:
            invalid += 1
        else:
            print(f"{path}: valid ({cls.__name__})")
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
