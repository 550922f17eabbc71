# Two packages with their own tag prefixes, released at different commits, in one walk; docs only
# touches neither; the matrix lists the released packages.
init
commit "feat: api base" services/api/main.go
commit "feat: web base" apps/web/index.js
tag api/v1.0.0
tag web/v2.0.0
commit "feat(api): new endpoint" services/api/main.go
tag api/v1.1.0
commit "fix(web): layout" apps/web/index.js
commit "feat(api): paging" services/api/main.go
commit "docs: readme" README.md
