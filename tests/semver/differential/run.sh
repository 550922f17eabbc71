#!/usr/bin/env bash
# Differential test: semver-tag against semantic-release (npm, conventionalcommits preset) and
# git-cliff (npm, `--bumped-version`) on generated repositories. Each repository starts at v1.0.0 (so
# the tools' first versions and 0.x rules play no part) and gets a seeded random run of commits on
# which all three tools agree, plus one commit of a shape from SHAPES below (squash merges, reverts,
# breaking changes written off the specification, ...), placed at a random point of the run.
#
#   run.sh BUILD_DIR [REPOSITORIES] [SEED]        exit 0 all agree, 1 a disagreement, 77 no npm peer
#
# Checks, per repository:
#   1. semver-tag's own reading names the version semantic-release or git-cliff names (at least one);
#      the shapes where it differs from both on purpose are marked `deliberate:` below, with the reason
#      (README.md here lists them too), and are reported, not failed;
#   2. semver-tag --preset conventionalcommits names exactly semantic-release's version;
#   3. on every fourth repository, semver-tag --preset angular names exactly the version of
#      semantic-release with its default (angular) preset.
# Cost: semantic-release starts node and its plugins for every run (about 2 s here), git-cliff and
# semver-tag take milliseconds: the default 18 repositories (22 semantic-release runs) take about 95 s of CPU.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=$(cd "$1" && pwd)
count=${2:-18}
seed=${3:-7}
tool="$build/semver-tag"
[[ -x "$tool" ]] || { echo "differential: $tool is not built"; exit 1; }
sr=$("$root/scripts/npm-peer" semantic-release semantic-release 2>/dev/null) || { echo "differential: semantic-release not installable; skipped"; exit 77; }
prefix=${sr%%/node_modules/*}
if [[ ! -d "$prefix/node_modules/conventional-changelog-conventionalcommits" ]]; then
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error conventional-changelog-conventionalcommits >/dev/null 2>&1 ||
    { echo "differential: conventional-changelog-conventionalcommits not installable; skipped"; exit 77; }
fi
cliff=$("$root/scripts/npm-peer" git-cliff 'git-cliff-linux-*/bin/git-cliff' 2>/dev/null) || { echo "differential: git-cliff not installable; skipped"; exit 77; }

# Messages all three tools read alike.
common=(
  "feat: add a thing"
  "fix: repair a thing"
  "fix(parser): handle empty input"
  "perf: faster"
  "feat(api)!: remove the old endpoint"
  "fix!: change the default"
  $'feat: new config\n\nBREAKING CHANGE: the old key is gone'
  $'fix: z\n\nSome body text.\n\nBREAKING CHANGE: behaviour changed\nRefs: #3'
  "Update README"
)
# NAME|MESSAGE: one commit of each shape. In a message, @REVERTED_ID@ and @REVERTED_TITLE@ stand for
# the id and title of the commit just before it (a reverted commit drawn from `common`), @BASE_ID@ and
# @BASE_TITLE@ for the commit tagged v1.0.0 ("fix: use parser 2").
shapes=(
  $'none|'
  $'other-types|docs: explain'
  $'other-types-2|chore: tidy'
  $'angular-bang|feat!: send email'
  $'squash-conventional-title|fix: handle empty page (#45)\n\n* feat: add paging\n* fix: off by one'
  $'dependency-bot|chore(deps): update http-client to 4.0 (#51)\n\nRelease notes:\n- feat: streaming bodies\n- fix!: drop Node 16'
  $'squash-plain-title|deliberate|Add exporter (#12)\n\n* feat: csv export'
  $'revert-released-pr-suffix|Revert "@BASE_TITLE@" (#123)\n\nThis reverts commit @BASE_ID@.'
  $'revert-released|Revert "@BASE_TITLE@"\n\nThis reverts commit @BASE_ID@.'
  $'revert-renamed|deliberate|Roll back the parser change (#124)\n\nThis reverts commit @BASE_ID@.'
  $'revert-in-range|Revert "@REVERTED_TITLE@"\n\nThis reverts commit @REVERTED_ID@.'
  $'revert-in-range-pr-suffix|deliberate|Revert "@REVERTED_TITLE@" (#9)\n\nThis reverts commit @REVERTED_ID@.'
  $'breaking-text-next-line|fix: parse dates as UTC\n\nBREAKING CHANGE:\ndates without a zone are now UTC'
  $'breaking-untyped-title|Release 9 (#77)\n\nBREAKING CHANGE: the v1 API is gone'
  $'breaking-in-paragraph|fix: stricter config\nBREAKING CHANGE: unknown keys are errors'
  $'breaking-lower-case|fix: y\n\nbreaking change: this is prose'
  $'breaking-bulleted|fix: y\n\n* BREAKING CHANGE: a bullet'
)
declare -A deliberate_reason=(
  [squash-plain-title]="the bullets of a squash merge whose title is not conventional are its commits; the peers read only the title"
  [revert-renamed]="git's own 'This reverts commit <id>.' line makes it a revert of a released fix, a patch; the peers know a revert only by its title"
  [revert-in-range-pr-suffix]="the feature and its squash-merged revert cancel out: it never shipped; semantic-release cancels only when the revert quotes the title exactly, git-cliff never"
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_AUTHOR_NAME=Diff GIT_AUTHOR_EMAIL=diff@example.invalid GIT_COMMITTER_NAME=Diff GIT_COMMITTER_EMAIL=diff@example.invalid
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
RANDOM=$seed

# semantic_release REPO N [PRESET]: the next version, "1.0.0" for nothing to release, "" when it fails.
semantic_release() {
  local repo=$1 n=$2 preset_args=() log version
  [[ -n "${3:-}" ]] && preset_args=(--preset "$3")
  log=$(cd "$repo" && env -u GITHUB_ACTIONS -u GITLAB_CI "$sr" --no-ci --dry-run --branches main \
    --repository-url "file://$work/remote$n.git" --plugins @semantic-release/commit-analyzer "${preset_args[@]}" 2>&1)
  version=$(sed -n 's/.*The next release version is \([^ ]*\).*/\1/p' <<< "$log" | head -1)
  if [[ -z "$version" ]] && grep -q "no relevant changes" <<< "$log"; then version=1.0.0; fi
  [[ -z "$version" ]] && tail -5 <<< "$log" >&2
  echo "$version"
}

failed=0
for ((n = 1; n <= count; n++)); do
  repo="$work/repo$n"
  shape=${shapes[(n - 1) % ${#shapes[@]}]}  # every shape in turn, so a short run still covers them
  name=${shape%%|*}
  rest=${shape#*|}
  kind=plain
  if [[ "$rest" == deliberate\|* ]]; then kind=deliberate; rest=${rest#deliberate|}; fi
  git init -q -b main "$repo"
  (
    cd "$repo"
    echo 0 > f && git add f && git commit -q -m "fix: use parser 2" && git tag v1.0.0
    base_id=$(git rev-parse HEAD)
    commits=$((RANDOM % 4))
    at=$((RANDOM % (commits + 1)))
    for ((i = 0; i <= commits; i++)); do
      if ((i == at)) && [[ -n "$rest" ]]; then
        if [[ "$rest" == *@REVERTED_* ]]; then  # a commit to revert, just before
          echo "r$i" >> f && git commit -q -am "${common[RANDOM % 4]}"
        fi
        message=${rest//@BASE_ID@/$base_id}
        message=${message//@BASE_TITLE@/fix: use parser 2}
        message=${message//@REVERTED_ID@/$(git rev-parse HEAD)}
        message=${message//@REVERTED_TITLE@/$(git log -1 --format=%s)}
        echo "s$i" >> f && git commit -q -am "$message"
      fi
      ((i < commits)) && echo "$i" >> f && git commit -q -am "${common[RANDOM % ${#common[@]}]}"
    done
  )
  git clone -q --bare "$repo" "$work/remote$n.git"
  git -C "$work/remote$n.git" symbolic-ref HEAD refs/heads/main
  ours=$(cd "$repo" && "$tool" --dry-run 2>/dev/null)
  ours_cc=$(cd "$repo" && "$tool" --dry-run --preset conventionalcommits 2>/dev/null)
  theirs=$(semantic_release "$repo" "$n" conventionalcommits)
  cliff_version=$(cd "$repo" && "$cliff" --bumped-version 2>/dev/null)
  cliff_version=${cliff_version#v}
  summary=$(git -C "$repo" log --format='%s' v1.0.0..HEAD | tr '\n' '|')
  if [[ -z "$theirs" || -z "$cliff_version" ]]; then
    echo "differential: a peer gave no answer for repository $n ($name): semantic-release '$theirs', git-cliff '$cliff_version'"
    failed=1
    continue
  fi
  verdict="agree   "
  if [[ "$ours" != "$theirs" && "$ours" != "$cliff_version" ]]; then
    if [[ $kind == deliberate ]]; then
      verdict="differs on purpose (${deliberate_reason[$name]}):"
    else
      verdict="DISAGREE"
      failed=1
    fi
  fi
  echo "$verdict [$name] semver-tag=$ours semantic-release=$theirs git-cliff=$cliff_version   $summary"
  if [[ "$ours_cc" != "$theirs" ]]; then
    echo "DISAGREE [$name] semver-tag --preset conventionalcommits=$ours_cc semantic-release=$theirs"
    failed=1
  fi
  if ((n % 4 == 0)); then
    ours_angular=$(cd "$repo" && "$tool" --dry-run --preset angular 2>/dev/null)
    theirs_angular=$(semantic_release "$repo" "$n")
    if [[ "$ours_angular" != "$theirs_angular" ]]; then
      echo "DISAGREE [$name] semver-tag --preset angular=$ours_angular semantic-release (angular)=$theirs_angular"
      failed=1
    fi
  fi
done
exit $failed
