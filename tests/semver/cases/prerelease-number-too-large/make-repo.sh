# A pre-release tag whose number is past what 64 bits hold (SemVer sets no bound): exit 2 naming the
# tag, rather than counting from a wrapped number to a version below one already released.
init
commit "feat: base"
tag v1.2.0
git checkout -q -b develop
commit "feat: step"
tag "v1.3.0-rc.99999999999999999999999"
commit "fix: one more"
