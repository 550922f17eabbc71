# A title that is not a Conventional Commit with a BREAKING CHANGE footer: a breaking change without a
# type, with a warning (the JSON marks it lenient).
init
commit "feat: base"
tag v1.2.3
commit "Release 9 (#77)

BREAKING CHANGE: the v1 API is gone"
