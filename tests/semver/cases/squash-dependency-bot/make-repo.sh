# A dependency bot quoting upstream release notes as bullets under a chore title: nothing to release.
init
commit "feat: base"
tag v1.2.3
commit "chore(deps): update http-client to 4.0 (#51)

Bumps http-client from 3.2 to 4.0.

Release notes:
- feat: streaming bodies
- fix!: drop Node 16"
