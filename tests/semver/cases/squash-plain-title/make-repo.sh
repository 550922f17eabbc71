# A squash merge whose title is not a Conventional Commit: its conventional bullets are the changes.
init
commit "feat: base"
tag v1.2.3
commit "Add exporter (#12)

* feat: csv export
* docs: describe the export"
