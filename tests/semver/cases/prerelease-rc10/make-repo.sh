# develop makes pre-releases: the counter is the highest existing rc.N plus one, compared as numbers
# (rc.10 after rc.9; `rc10` would sort below `rc9`).
init
commit "feat: base"
tag v1.2.0
git checkout -q -b develop
for i in 1 2 3 4 5 6 7 8 9; do commit "feat: step $i"; tag "v1.3.0-rc.$i"; done
commit "fix: one more"
