#!/usr/bin/env bash
# semver-tag's benchmark: a repository of 100,000 commits and 5,000 annotated tags (the last one 10
# commits before HEAD) made with git fast-import, with messages shaped like a real history (squash
# merges with bullets, dependency bumps, reverts, bodies and footers: make_repo.py);
# times semver-tag, a `git describe` + `git log` pipeline (what a shell script would do: the commits
# since the last tag, without deciding anything) and, when npm can install them, git-cliff
# --bumped-version (its default mode, which reads the whole history, only up to 20,000 commits; and
# with --unreleased) and semantic-release --dry-run with the conventionalcommits preset, in one run,
# with peak memory. BEFORE=/path/to/an/older/semver-tag times that build too, on the same repository.
#
#   bench/semver-tag/run.sh [BUILD_DIR] [COMMITS] [TAGS]     (defaults: build/release 100000 5000)
#   BEFORE=/tmp/semver-tag.old bench/semver-tag/run.sh build/release 3000 400
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build/release}" && pwd)
commits=${2:-100000}
tags=${3:-5000}
tool="$build/semver-tag"
[[ -x "$tool" ]] || { echo "bench: $tool is not built" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
git init -q -b main "$work/repo"
python3 "$here/make_repo.py" "$commits" "$tags" | git -C "$work/repo" fast-import --quiet
git -C "$work/repo" checkout -q -f main
git -C "$work/repo" pack-refs --all  # as a clone has them (fast-import leaves 5,000 loose refs)
echo "repository: $(git -C "$work/repo" rev-list --count HEAD) commits, $(git -C "$work/repo" tag | wc -l) tags"

# measure NAME COMMAND...: best of 3 wall-clock seconds and the peak RSS of the best run.
measure() {
  local name=$1; shift
  local best="" rss=""
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" > "$work/$name.out" 2> "$work/$name.err" || {
      echo "bench: $name failed:"; tail -5 "$work/$name.err"; return 1; }
    read -r seconds kb < "$work/time"
    if [[ -z "$best" ]] || awk -v a="$seconds" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$seconds; rss=$kb; fi
  done
  printf '%-22s %8.3f s %8.1f MB  -> %s\n' "$name" "$best" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$(head -c 60 "$work/$name.out" | head -1)"
  eval "time_$name=$best"
}

cd "$work/repo"
measure semver_tag "$tool" --dry-run --repo "$work/repo"
if [[ -n "${BEFORE:-}" ]]; then
  measure semver_tag_before "$BEFORE" --dry-run --repo "$work/repo"
fi
measure git_pipeline bash -c 'git log --format=%s "$(git describe --tags --abbrev=0)"..HEAD'

if cliff=$("$root/scripts/npm-peer" git-cliff 'git-cliff-linux-*/bin/git-cliff' 2>/dev/null); then
  if ((commits <= 20000)); then
    measure git_cliff "$cliff" --bumped-version
    awk -v a="$time_git_cliff" -v b="$time_semver_tag" 'BEGIN { printf "semver-tag is %.0f times faster than git-cliff --bumped-version\n", a / (b > 0.0005 ? b : 0.0005) }'
  else
    echo "git-cliff --bumped-version: not timed above 20,000 commits (it reads the whole history)"
  fi
  measure git_cliff_unreleased "$cliff" --unreleased --bumped-version
else
  echo "git-cliff: not installed (scripts/npm-peer git-cliff failed); skipped"
fi

# The preset must sit next to semantic-release to be found: installed into the same scratch prefix.
if sr=$("$root/scripts/npm-peer" semantic-release semantic-release 2>/dev/null) &&
   npm install --prefix "${sr%%/node_modules/*}" --no-audit --no-fund --loglevel=error \
     conventional-changelog-conventionalcommits > "$work/npm.log" 2>&1; then
  git init -q --bare "$work/remote.git"
  git push -q "$work/remote.git" main --tags
  git -C "$work/remote.git" symbolic-ref HEAD refs/heads/main
  measure semantic_release "$sr" --no-ci --dry-run --branches main --repository-url "file://$work/remote.git" \
    --plugins @semantic-release/commit-analyzer --preset conventionalcommits
  awk -v a="$time_semantic_release" -v b="$time_semver_tag" 'BEGIN { printf "semver-tag is %.0f times faster than semantic-release\n", a / (b > 0.0005 ? b : 0.0005) }'
else
  echo "semantic-release: not installed (scripts/npm-peer semantic-release failed); skipped"
fi
