# Helpers for the make-repo.sh scripts of the golden corpus (sourced by run_case.sh before each).
# Every commit gets the next fixed date and the same author, so commit ids are the same on every
# machine and the expected output can name them.
export GIT_AUTHOR_NAME="Gantry Test" GIT_AUTHOR_EMAIL="test@example.invalid"
export GIT_COMMITTER_NAME="Gantry Test" GIT_COMMITTER_EMAIL="test@example.invalid"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
_semver_clock=1700000000

_tick() {
  _semver_clock=$((_semver_clock + 60))
  export GIT_AUTHOR_DATE="@$_semver_clock +0000" GIT_COMMITTER_DATE="@$_semver_clock +0000"
}

# init [BRANCH]: a new repository in the current folder on BRANCH (default main).
init() {
  git init -q -b "${1:-main}" .
  git config user.name "$GIT_AUTHOR_NAME"
  git config user.email "$GIT_AUTHOR_EMAIL"
  git config commit.gpgsign false
  git config tag.gpgsign false
}

# commit MESSAGE [FILE]: changes FILE (default file.txt) and commits with MESSAGE (may hold newlines).
commit() {
  local file=${2:-file.txt}
  _tick
  mkdir -p "$(dirname "$file")"
  echo "$_semver_clock $1" >> "$file"
  git add -A
  git commit -q -m "$1"
}

# tag NAME [annotated]: tags HEAD.
tag() {
  _tick
  if [[ "${2:-}" == annotated ]]; then git tag -a -m "$1" "$1"; else git tag "$1"; fi
}

# merge BRANCH MESSAGE: a merge commit (no fast-forward).
merge() {
  _tick
  git merge -q --no-ff -m "$2" "$1"
}
