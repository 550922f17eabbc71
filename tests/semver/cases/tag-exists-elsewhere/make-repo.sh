# The next version's tag already names a commit HEAD does not reach: refusing beats moving a release.
init
commit "feat: base"
tag v1.0.0
git checkout -q -b hotfix
commit "fix: hot" hot.txt
tag v1.0.1
git checkout -q main
commit "fix: cold"
