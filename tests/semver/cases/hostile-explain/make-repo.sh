# Commit subjects, scopes and footers that try to break out of a log line (workflow commands after a
# line break, the legacy ##[ form) and out of the step summary's Markdown (pipes, HTML, backticks,
# a leading #).
init
commit "feat: base"
tag v1.2.0
commit "feat(api|\`x\`): add <img src=x> \`tick\` *bold* | pipe ##[error]legacy"
commit $'fix: # not a heading\n\n::stop-commands::T0KEN\n::error file=forged.js,line=1::forged in a body'
commit $'::error file=forged.js::not conventional\n\nbody'
commit $'feat(web)!: drop the old API\n\nBREAKING CHANGE: ::error::clients of <b>v1</b> | `break`'
