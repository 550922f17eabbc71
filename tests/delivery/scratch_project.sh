# shellcheck shell=bash
# The scratch project both delivery scripts give gitlab-ci-local: its origin is
# gitlab.com/gantry-ci/gantry, so a component included at the checked-out commit (@$CI_COMMIT_SHA, GitLab's
# own way to test components) is read from the working tree; nested `include: local` become project
# includes at that commit, which gitlab-ci-local clones with `git clone --branch <sha>`: url.insteadOf
# points that at a bare copy holding a tag named after the commit. Sourced by run.sh and gitlab-run.sh.

# scratch_git_config DIR: a git configuration of its own in DIR/gitconfig (exported), pointing the
# project's origin at the bare copy DIR/remote.git.
scratch_git_config() {
  export GIT_CONFIG_GLOBAL="$1/gitconfig" GIT_CONFIG_NOSYSTEM=1
  git config --global user.name "gantry delivery test" &&
    git config --global user.email "delivery@gantry.invalid" &&
    git config --global init.defaultBranch main &&
    git config --global url."file://$1/remote.git".insteadOf "https://gitlab.com:443/gantry-ci/gantry.git"
}

# scratch_commit PROJECT REMOTE MESSAGE: commits everything in PROJECT, tags the commit with its own
# name, makes the bare copy REMOTE and the origin refs gitlab-ci-local reads. Non-zero on any failure.
scratch_commit() {
  local project=$1 remote=$2 message=$3 sha
  git -C "$project" init -q &&
    git -C "$project" remote add origin https://gitlab.com/gantry-ci/gantry.git &&
    git -C "$project" add -A &&
    git -C "$project" commit -q -m "$message" &&
    sha=$(git -C "$project" rev-parse HEAD) &&
    git -C "$project" tag "$sha" &&
    git clone -q --bare "$project" "$remote" &&
    git -C "$remote" config uploadpack.allowFilter true &&
    git -C "$project" update-ref refs/remotes/origin/main HEAD &&
    git -C "$project" symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main
}
