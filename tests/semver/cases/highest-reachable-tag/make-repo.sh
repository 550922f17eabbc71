# The base is the highest SemVer tag HEAD reaches: v2.0.0 on an unmerged branch is not reachable; v3,
# vfoo and v1.5 are not SemVer; release-9.9.9 lacks the prefix; v1.1.0 is the base.
init
commit "feat: base"
tag v1.0.0
git checkout -q -b next
commit "feat!: next generation" next.txt
tag v2.0.0
git checkout -q main
commit "feat: small"
tag v1.1.0
tag v3
tag vfoo
commit "fix: bug"
tag v1.5
tag release-9.9.9
commit "fix: another"
