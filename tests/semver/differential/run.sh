#!/usr/bin/env bash
# Differential test: semver-tag against semantic-release (npm, conventionalcommits preset) on
# generated repositories. Each repository starts at v1.0.0 (so the two tools' different first
# versions and 0.x rules play no part) and gets a seeded random run of commits drawn from the
# messages below; both tools must name the same next version (or both nothing to release).
#
#   run.sh BUILD_DIR [REPOSITORIES] [SEED]        exit 0 all agree, 1 a disagreement, 77 no npm peer
#
# Messages where the two tools disagree on purpose are not drawn; the reasons are in README.md here.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=$(cd "$1" && pwd)
count=${2:-12}
seed=${3:-7}
tool="$build/semver-tag"
[[ -x "$tool" ]] || { echo "differential: $tool is not built"; exit 1; }
sr=$("$root/scripts/npm-peer" semantic-release semantic-release 2>/dev/null) || { echo "differential: semantic-release not installable; skipped"; exit 77; }
prefix=${sr%%/node_modules/*}
if [[ ! -d "$prefix/node_modules/conventional-changelog-conventionalcommits" ]]; then
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error conventional-changelog-conventionalcommits >/dev/null 2>&1 ||
    { echo "differential: conventional-changelog-conventionalcommits not installable; skipped"; exit 77; }
fi

messages=(
  "feat: add a thing"
  "fix: repair a thing"
  "fix(parser): handle empty input"
  "docs: explain"
  "chore: tidy"
  "perf: faster"
  "refactor: move code"
  "feat(api)!: remove the old endpoint"
  "fix!: change the default"
  $'feat: new config\n\nBREAKING CHANGE: the old key is gone'
  $'fix: z\n\nSome body text.\n\nBREAKING CHANGE: behaviour changed\nRefs: #3'
  "Update README"
  "test: cover more"
  "build: bump deps"
  "ci: cache"
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_AUTHOR_NAME=Diff GIT_AUTHOR_EMAIL=diff@example.invalid GIT_COMMITTER_NAME=Diff GIT_COMMITTER_EMAIL=diff@example.invalid
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
RANDOM=$seed
failed=0
for ((n = 1; n <= count; n++)); do
  repo="$work/repo$n"
  git init -q -b main "$repo"
  (
    cd "$repo"
    echo 0 > f && git add f && git commit -q -m "feat: base" && git tag v1.0.0
    commits=$((RANDOM % 6))
    for ((i = 0; i < commits; i++)); do
      echo "$i" >> f && git commit -q -am "${messages[RANDOM % ${#messages[@]}]}"
    done
  )
  git clone -q --bare "$repo" "$work/remote$n.git"
  git -C "$work/remote$n.git" symbolic-ref HEAD refs/heads/main
  ours=$(cd "$repo" && "$tool" --dry-run --initial-version 1.0.0 --zero-major-breaking major 2>&1)
  theirs_log=$(cd "$repo" && env -u GITHUB_ACTIONS -u GITLAB_CI "$sr" --no-ci --dry-run --branches main \
    --repository-url "file://$work/remote$n.git" --plugins @semantic-release/commit-analyzer \
    --preset conventionalcommits 2>&1)
  theirs=$(sed -n 's/.*The next release version is \([^ ]*\).*/\1/p' <<< "$theirs_log" | head -1)
  if [[ -z "$theirs" ]]; then
    if grep -q "no relevant changes" <<< "$theirs_log"; then
      theirs=1.0.0  # nothing to release: the current version stays, as semver-tag prints it
    else
      echo "differential: semantic-release gave no answer for repository $n:"; tail -5 <<< "$theirs_log"
      failed=1
      continue
    fi
  fi
  summary=$(git -C "$repo" log --format='%s' v1.0.0..HEAD | tr '\n' '|')
  if [[ "$ours" == "$theirs" ]]; then
    echo "agree    $ours   ${summary}"
  else
    echo "DISAGREE semver-tag=$ours semantic-release=$theirs   ${summary}"
    failed=1
  fi
done
exit $failed
