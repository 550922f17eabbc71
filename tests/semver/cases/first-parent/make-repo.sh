# A feature merged from a branch: counted normally; with --first-parent only the merge commit
# (not conventional) is seen on main, so nothing is released.
init
commit "feat: base"
tag v1.0.0
git checkout -q -b topic
commit "feat: on a branch" topic.txt
git checkout -q main
commit "docs: on main"
merge topic "Merge branch 'topic'"
