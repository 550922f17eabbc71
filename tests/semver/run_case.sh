#!/usr/bin/env bash
# Runs one case of semver-tag's golden corpus.
#
#   run_case.sh CASE_DIR BUILD_DIR
#
# CASE_DIR holds:
#   make-repo.sh   builds the repository in the current (empty, temporary) folder with git; the helpers
#                  of lib.sh (init, commit, tag, merge) give fixed dates, so commit ids are stable
#   cmd            semver-tag's arguments, one per line ($REPO is the repository, $OUT a scratch folder);
#                  the tool runs in the repository with an otherwise empty environment
#   env            optional KEY=VALUE lines added to the environment
#   exit           the expected exit code (default 0)
#   stdout         the expected standard output
#   stderr         optional: the expected standard error
#   json           optional: the expected --json verdict (written to $OUT/verdict.json; compared with
#                  jq -S; commit ids are stable); pass `--json` `$OUT/verdict.json` in cmd
#   tags           optional: the expected `git tag --points-at HEAD` after the run
#   files/NAME     optional: expected content of $OUT/NAME
#   repo-files/NAME  optional: expected content of $REPO/NAME after the run (e.g. CHANGELOG.md)
#   runner-commands  optional: the workflow commands the tool may print; stdout and stderr are read
#                  as CI runners read a log (tests/runner_commands.py) and any other command fails
# UPDATE_GOLDEN=1 rewrites the expected files from what the tool produced.
set -uo pipefail
case_dir=$(cd "$1" && pwd)
build_dir=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
tool="$build_dir/semver-tag"
[[ -x "$tool" ]] || { echo "semver corpus: $tool is not built"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo="$work/repo"
out="$work/out"
mkdir -p "$repo" "$out"
(
  cd "$repo" && source "$here/lib.sh" && source "$case_dir/make-repo.sh"
) > "$work/make-repo.log" 2>&1 || { echo "make-repo.sh failed:"; cat "$work/make-repo.log"; exit 1; }

expand() { local s=$1; s=${s//\$REPO/$repo}; s=${s//\$OUT/$out}; printf '%s' "$s"; }
args=()
if [[ -f "$case_dir/cmd" ]]; then
  mapfile -t raw < "$case_dir/cmd"
  for a in "${raw[@]}"; do args+=("$(expand "$a")"); done
fi
environment=(PATH=/usr/bin:/bin HOME="$work" NO_COLOR=1 TZ=UTC GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null)
source "$here/../harness_environment.sh"
keep_harness_environment environment
if [[ -f "$case_dir/env" ]]; then
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ -z "$line" || "$line" == \#* ]] && continue
    environment+=("$(expand "$line")")
  done < "$case_dir/env"
fi
(cd "$repo" && env -i "${environment[@]}" "$tool" "${args[@]}") > "$work/stdout" 2> "$work/stderr" < /dev/null
code=$?
git -c safe.directory="*" -C "$repo" tag --points-at HEAD > "$work/tags" 2>/dev/null

normalize() { sed -e "s|$repo|\$REPO|g" -e "s|$out|\$OUT|g" "$1"; }
normalize_json() { jq -S . "$1" | sed -e "s|$repo|\$REPO|g" -e "s|$out|\$OUT|g"; }

if [[ "${UPDATE_GOLDEN:-}" == 1 ]]; then
  echo "$code" > "$case_dir/exit"
  normalize "$work/stdout" > "$case_dir/stdout"
  if [[ -f "$case_dir/stderr" || -s "$work/stderr" ]]; then normalize "$work/stderr" > "$case_dir/stderr"; fi
  [[ -f "$out/verdict.json" ]] && normalize_json "$out/verdict.json" > "$case_dir/json"
  cp "$work/tags" "$case_dir/tags"
  if [[ -d "$case_dir/files" ]]; then
    for expected in "$case_dir"/files/*; do
      name=$(basename "$expected")
      [[ -f "$out/$name" ]] && normalize "$out/$name" > "$expected"
    done
  fi
  if [[ -d "$case_dir/repo-files" ]]; then
    for expected in "$case_dir"/repo-files/*; do
      name=$(basename "$expected")
      [[ -f "$repo/$name" ]] && normalize "$repo/$name" > "$expected"
    done
  fi
  echo "updated $case_dir"
  exit 0
fi

failed=0
if [[ -f "$case_dir/runner-commands" ]]; then
  python3 "$here/../runner_commands.py" --allow "$(sed -n 1p "$case_dir/runner-commands")" "$work/stdout" "$work/stderr" ||
    { echo "(the runner would read a command the tool did not mean)"; failed=1; }
fi
expected_code=$(cat "$case_dir/exit" 2>/dev/null || echo 0)
if [[ "$code" != "$expected_code" ]]; then
  echo "exit code $code, expected $expected_code"; failed=1
  echo "--- stderr:"; cat "$work/stderr"
fi
diff -u "$case_dir/stdout" <(normalize "$work/stdout") || { echo "(stdout differs)"; failed=1; }
if [[ -f "$case_dir/stderr" ]]; then
  diff -u "$case_dir/stderr" <(normalize "$work/stderr") || { echo "(stderr differs)"; failed=1; }
fi
if [[ -f "$case_dir/json" ]]; then
  if [[ ! -f "$out/verdict.json" ]]; then echo "no --json verdict written"; failed=1
  else diff -u "$case_dir/json" <(normalize_json "$out/verdict.json") || { echo "(json differs)"; failed=1; }; fi
fi
if [[ -f "$case_dir/tags" ]]; then
  diff -u "$case_dir/tags" "$work/tags" || { echo "(tags on HEAD differ)"; failed=1; }
fi
if [[ -d "$case_dir/files" ]]; then
  for expected in "$case_dir"/files/*; do
    name=$(basename "$expected")
    if [[ ! -f "$out/$name" ]]; then echo "missing output file $name"; failed=1; continue; fi
    diff -u "$expected" <(normalize "$out/$name") || { echo "($name differs)"; failed=1; }
  done
fi
if [[ -d "$case_dir/repo-files" ]]; then
  for expected in "$case_dir"/repo-files/*; do
    name=$(basename "$expected")
    if [[ ! -f "$repo/$name" ]]; then echo "missing repository file $name"; failed=1; continue; fi
    diff -u "$expected" <(normalize "$repo/$name") || { echo "($name differs)"; failed=1; }
  done
fi
exit $failed
