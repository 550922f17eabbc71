# How scripts/demo shows and records its steps. Sourced after `out` (the output folder), `o` (the
# same as the commands show it) and `bold` are set.
#
#   step N TITLE                   a heading
#   say TEXT                       an explanation, indented
#   run EXPECTED [NAME=VALUE...] COMMAND...
#                                  prints the command as a user would type it, runs it (environment
#                                  assignments first, as in a shell), shows its output and exit code;
#                                  an exit code other than EXPECTED counts as a failure of the demo
#   last_output                    what the last run printed (stdout and stderr)
#   record LABEL FIGURES           adds the last run to the closing table and to $out/steps.jsonl
#   closing_table                  the table of recorded steps, then every file written under $out;
#                                  returns 1 when a step ended with an unexpected exit code

demo_unexpected=0
demo_last_output=$(mktemp "${TMPDIR:-/tmp}/gantry-demo-output.XXXXXX")
demo_step=""
last_code=0 last_expected=0 last_command=""

step() {  # N TITLE
  demo_step=$1
  echo
  bold "== $1. $2 =="
}

say() { printf '%s\n' "$*" | sed 's/^/   /'; }

# A word as a shell user would type it: bare when it is safe, else in single quotes.
shell_word() {
  if [[ $1 =~ ^[A-Za-z0-9_./:=@%+,^-]+$ ]]; then
    printf '%s' "$1"
  else
    printf "'%s'" "${1//\'/\'\\\'\'}"
  fi
}

run() {  # EXPECTED [NAME=VALUE...] COMMAND...
  local expected=$1 word shown=""
  shift
  for word in "$@"; do shown+="${shown:+ }$(shell_word "$word")"; done
  echo
  bold "\$ $shown"
  local assignments=()
  while [[ $# -gt 0 && $1 =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; do assignments+=("$1"); shift; done
  if ((${#assignments[@]})); then
    env "${assignments[@]}" "$@" 2>&1 | tee "$demo_last_output"
  else
    "$@" 2>&1 | tee "$demo_last_output"
  fi
  last_code=${PIPESTATUS[0]} last_expected=$expected last_command=$shown
  if [[ $last_code == "$expected" ]]; then
    echo "(exit code $last_code)"
  else
    echo "(exit code $last_code - the demo expected $expected)"
    demo_unexpected=$((demo_unexpected + 1))
  fi
}

last_output() { cat "$demo_last_output"; }

record() {  # LABEL FIGURES
  jq -nc --arg step "$demo_step" --arg label "$1" --arg command "$last_command" \
     --argjson exit "$last_code" --argjson expected "$last_expected" --arg figures "$2" \
     '{step: ($step | tonumber), label: $label, command: $command, exit: $exit, expected: $expected,
       figures: $figures}' >>"$out/steps.jsonl"
}

closing_table() {  # SECONDS_SPENT
  echo
  bold "== What the demo showed =="
  echo
  jq -rs '(["step", "tool", "exit", "what it shows"] | @tsv),
          (.[] | [.step, .label, (if .exit == .expected then "\(.exit)" else "\(.exit) (expected \(.expected))" end),
                  .figures] | @tsv)' "$out/steps.jsonl" |
    awk -F'\t' '{printf "%-5s %-44s %-6s %s\n", $1, $2, $3, $4}'
  echo
  bold "Files written under $o/:"
  (cd "$out" && find . -path ./shop-api -prune -o -path ./servers -prune -o -type f -print | sed 's|^\./||' | sort |
     while read -r f; do printf '  %-44s %8s bytes\n' "$f" "$(stat -c %s "$f")"; done)
  echo "  shop-api/                                    the sample repository (git log, tags)"
  echo "  servers/                                     the sample service's nginx configurations and logs"
  echo
  rm -f "$demo_last_output"
  if ((demo_unexpected)); then
    echo "$demo_unexpected step(s) ended with an unexpected exit code (see the table): exit 1."
    return 1
  fi
  echo "Every step ended as expected, in $(minutes "$1"). Step summaries: $o/*summary.md (Markdown, as on GitHub)."
}
