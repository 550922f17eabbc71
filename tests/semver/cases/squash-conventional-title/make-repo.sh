# A squash merge titled as a Conventional Commit: the title is what the author chose; the bullets of
# the body (the branch's commits, as GitHub writes them) are only text -> patch, not minor.
init
commit "feat: base"
tag v1.2.3
commit "fix: handle empty page (#45)

* feat: add paging
* fix: off by one"
