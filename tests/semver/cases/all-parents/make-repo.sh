# The same history as first-parent, walked through every parent: the branch's feature counts.
init
commit "feat: base"
tag v1.0.0
git checkout -q -b topic
commit "feat: on a branch" topic.txt
git checkout -q main
commit "docs: on main"
merge topic "Merge branch 'topic'"
