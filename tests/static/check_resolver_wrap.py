#!/usr/bin/env python3
"""The lazy c-ares channel (src/core/http/lazy_resolver_channel.cpp) covers every c-ares call libcurl makes.

The networked tools link with `ld --wrap=ares_<name>` for each name of GANTRY_ARES_WRAPPED
(CMakeLists.txt): libcurl's calls then land in the wrapper, which hands c-ares a channel it made
itself. That is sound only while, for the libcurl and libcares archives actually linked:

  1. every c-ares function libcurl calls that takes a channel is wrapped (an unwrapped one would
     receive the wrapper's LazyChannel as if it were a c-ares channel);
  2. every wrapped function is one libcurl calls (a wrap nobody needs only widens rule 4);
  3. the wrapper defines __wrap_<name> for exactly the wrapped names, and calls __real_ only of them;
  4. c-ares never calls a wrapped function from another of its objects on a path that runs (ld wraps
     every undefined reference, c-ares' own included, so such a call would hand a real channel to the
     wrapper). A c-ares function that does so passes only if nothing in the link names it: neither
     libcurl, nor another c-ares object, nor the rest of its own object, nor the wrapper.

Which functions take a channel is read from ares.h, so a libcurl or c-ares upgrade that adds a call
fails here with its name rather than crashing at run time.

usage: check_resolver_wrap.py NM OBJDUMP ARES_H LIBCURL_A LIBCARES_A WRAPPER_A WRAPPED_NAME...
Exit 0 when all holds, 1 with one line per violation.
"""
import re
import subprocess
import sys
from collections import defaultdict


def run(*command):
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def symbols(nm, archive):
    """{object: (defined global names, undefined names)} of an archive, from `nm -A`."""
    table = defaultdict(lambda: (set(), set()))
    for line in run(nm, "-A", archive).splitlines():
        m = re.match(r"^.*?:([^:/]+\.o):[0-9a-fA-F]*\s+(\S)\s+(\S+)$", line)
        if not m:
            continue
        obj, kind, name = m.groups()
        if kind == "U":
            table[obj][1].add(name)
        elif kind.isupper():
            table[obj][0].add(name)
    return table


def relocations(objdump, archive):
    """{object: {function: set of symbols its relocations name}} of an archive, from `objdump -dr`."""
    table = defaultdict(lambda: defaultdict(set))
    obj = function = None
    for line in run(objdump, "-dr", "--no-show-raw-insn", archive).splitlines():
        if m := re.match(r"^(\S+\.o):\s+file format", line):
            obj, function = m.group(1), None
        elif m := re.match(r"^[0-9a-f]+ <([^>]+)>:$", line):
            function = m.group(1)
        elif function and (m := re.match(r"^\s+[0-9a-f]+: R_\S+\s+([A-Za-z_][\w.]*)", line)):
            table[obj][function].add(m.group(1))
    return table


def channel_functions(header):
    """{name: takes a channel} for every function ares.h declares."""
    text = re.sub(r"/\*.*?\*/", " ", open(header, encoding="utf-8").read(), flags=re.S)
    declared = {}
    for m in re.finditer(r"CARES_EXTERN\b[^;{}]*?\b(ares_\w+)\s*\(([^;{}]*)\)\s*;", text):
        declared[m.group(1)] = "ares_channel" in m.group(2)
    return declared


def main(argv):
    nm, objdump, header, libcurl, libcares, wrapper = argv[1:7]
    wrapped = set(argv[7:])
    problems = []

    declared = channel_functions(header)
    curl = symbols(nm, libcurl)
    curl_calls = {name for _, undefined in curl.values() for name in undefined if name.startswith("ares_")}
    for name in sorted(curl_calls):
        if name not in declared:
            problems.append(f"libcurl calls {name}, which {header} does not declare: cannot tell whether it takes a channel")
        elif declared[name] and name not in wrapped:
            problems.append(f"libcurl calls {name}(ares_channel ...), which is not wrapped: add it to GANTRY_ARES_WRAPPED "
                            "(CMakeLists.txt) and to src/core/http/lazy_resolver_channel.cpp")
    for name in sorted(wrapped - curl_calls):
        problems.append(f"{name} is wrapped but libcurl does not call it: remove it from GANTRY_ARES_WRAPPED and the wrapper")

    wrap = symbols(nm, wrapper)
    wrap_defined = {name[len("__wrap_"):] for defined, _ in wrap.values() for name in defined if name.startswith("__wrap_ares_")}
    wrap_real = {name[len("__real_"):] for _, undefined in wrap.values() for name in undefined if name.startswith("__real_ares_")}
    if wrap_defined != wrapped:
        problems.append(f"the wrapper defines __wrap_ for {sorted(wrap_defined)}, the link wraps {sorted(wrapped)}")
    for name in sorted(wrap_real - wrapped):
        problems.append(f"the wrapper calls __real_{name}, which is not wrapped (the link would not resolve it)")

    cares = symbols(nm, libcares)
    named_anywhere = defaultdict(set)  # symbol -> objects (of libcurl and libcares) that reference it
    for table, archive in ((curl, "libcurl"), (cares, "libcares")):
        for obj, (_, undefined) in table.items():
            for name in undefined:
                named_anywhere[name].add(f"{archive}:{obj}")
    cares_code = relocations(objdump, libcares)
    for obj, functions in sorted(cares_code.items()):
        defined = cares[obj][0]
        for function, names in sorted(functions.items()):
            for target in sorted(names & wrapped - defined):
                reasons = []
                if function not in defined:
                    reasons.append("it is file-local (its callers cannot be told from here)")
                if function in curl_calls or function in wrapped:
                    reasons.append("libcurl or the wrapper calls it")
                if named_anywhere.get(function):
                    reasons.append(f"{', '.join(sorted(named_anywhere[function]))} call it")
                if any(function in other for caller, other in functions.items() if caller != function):
                    reasons.append(f"other code of {obj} calls it")
                if reasons:
                    problems.append(f"c-ares' {function} ({obj}) calls {target}, which is wrapped, and may run: " + "; ".join(reasons))
                else:
                    print(f"note: c-ares' {function} ({obj}) calls the wrapped {target}, but nothing in the link calls {function}")

    for problem in problems:
        print(f"check_resolver_wrap: {problem}", file=sys.stderr)
    if not problems:
        print(f"libcurl calls {len(curl_calls)} c-ares functions: {len(wrapped)} with a channel, all wrapped; "
              f"{', '.join(sorted(curl_calls - wrapped))} take none")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
