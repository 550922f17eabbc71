# A squash merge: the title is not conventional, the bullets of the body are; one is breaking
# through a footer that follows it.
init
commit "feat: base"
tag v2.3.1
commit "Add the importer (#17)

* feat(import): read CSV files

* fix: close the file

BREAKING CHANGE: the import command moved

* chore: lint"
