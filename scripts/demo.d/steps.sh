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
#   demo_forget_output             removes the temporary file that holds it (the caller's EXIT trap)
#   record LABEL FIGURES           adds the last run to the closing table and to $out/steps.jsonl
#   closing_table                  the table of recorded steps, then every file written under $out;
#                                  returns 1 when a step ended with an unexpected exit code

demo_unexpected=0
demo_last_output=$(mktemp "${TMPDIR:-/tmp}/gantry-demo-output.XXXXXX")
demo_step=""
last_code=0 last_expected=0 last_command="" last_ms=0

step() {  # N TITLE
  demo_step=$1
  echo
  bold "== $1. $2 =="
}

say() { printf '%s\n' "$*" | sed 's/^/   /'; }

# VAR=a word as a shell user would type it: bare when it is safe, else in single quotes.
shell_word() {  # VAR WORD
  if [[ $2 =~ ^[A-Za-z0-9_./:=@%+,^-]+$ ]]; then
    printf -v "$1" '%s' "$2"
  else
    printf -v "$1" "'%s'" "${2//\'/\'\\\'\'}"
  fi
}

run() {  # EXPECTED [NAME=VALUE...] COMMAND...
  local expected=$1 word quoted shown=""
  shift
  for word in "$@"; do shell_word quoted "$word"; shown+="${shown:+ }$quoted"; done
  echo
  bold "\$ $shown"
  local assignments=() begun
  begun=${EPOCHREALTIME/[.,]/}
  while [[ $# -gt 0 && $1 =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; do assignments+=("$1"); shift; done
  if ((${#assignments[@]})); then
    env "${assignments[@]}" "$@" 2>&1 | tee "$demo_last_output"
  else
    "$@" 2>&1 | tee "$demo_last_output"
  fi
  last_code=${PIPESTATUS[0]} last_expected=$expected last_command=$shown
  last_ms=$(((${EPOCHREALTIME/[.,]/} - begun) / 1000))
  if [[ $last_code == "$expected" ]]; then
    echo "(exit code $last_code)"
  else
    echo "(exit code $last_code - the demo expected $expected)"
    demo_unexpected=$((demo_unexpected + 1))
  fi
}

last_output() { cat "$demo_last_output"; }
demo_forget_output() { rm -f "$demo_last_output"; }

record() {  # LABEL FIGURES
  jq -nc --arg step "$demo_step" --arg name "$1" --arg command "$last_command" \
     --argjson exit "$last_code" --argjson expected "$last_expected" --arg figures "$2" --argjson ms "$last_ms" \
     '{"step": ($step | tonumber), "label": $name, "command": $command, "exit": $exit, "expected": $expected,
       "figures": $figures, "ms": $ms}' >>"$out/steps.jsonl"
}

# What a file of the output folder is, by its name.
file_role() {  # NAME
  case $1 in
    shop-api) echo "the sample repository: git log, git tag" ;;
    servers) echo "the sample service: nginx configurations, logs, ports and pids" ;;
    steps.jsonl) echo "this table as JSON lines (step, command, exit code, figures)" ;;
    *summary.md) echo "step summary, Markdown as GitHub shows it" ;;
    *.junit.xml) echo "JUnit report" ;;
    *.sarif) echo "SARIF 2.1.0" ;;
    *.sarif.gz) echo "SARIF 2.1.0, gzip-compressed" ;;
    gl-*.json) echo "GitLab container-scanning report (schema 15.2.1)" ;;
    release-notes.md) echo "release notes of the new version" ;;
    waivers.yaml) echo "samples/waivers.yaml with expiry dates relative to today" ;;
    github-output.txt) echo "the outputs, as GitHub's \$GITHUB_OUTPUT file" ;;
    bluegreen-state.json) echo "bluegreen-switch's state: live and previous colour, version" ;;
    *.lock) echo "bluegreen-switch's lock (held only while it runs)" ;;
    bluegreen-audit.jsonl) echo "bluegreen-switch's audit log, one JSON line per action" ;;
    status.json) echo "bluegreen-switch --status, as JSON" ;;
    *.json) echo "the tool's result as JSON (--json)" ;;
    *) echo "" ;;
  esac
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
  local file
  for file in "$out"/*; do
    file=${file##*/}
    printf '  %-36s %s\n' "$file$([[ -d $out/$file ]] && echo /)" "$(file_role "$file")"
  done
  echo
  if ((demo_unexpected)); then
    echo "$demo_unexpected step(s) ended with an unexpected exit code (see the table): exit 1."
    return 1
  fi
  echo "Every step ended as expected, in $(minutes "$1"). Step summaries: $o/*summary.md (Markdown, as on GitHub)."
}
