# On GitHub Actions the branch comes from GITHUB_REF_NAME (the checkout is a detached HEAD); the
# outputs go to $GITHUB_OUTPUT.
init
commit "feat: base"
tag v1.0.0
git checkout -q -b develop
commit "feat: x"
git checkout -q --detach
