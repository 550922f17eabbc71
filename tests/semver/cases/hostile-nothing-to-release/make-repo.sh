# Only commits that call for no release, with subjects that try to break out of a log line or the
# step summary's Markdown.
init
commit "feat: base"
tag v1.2.0
commit $'::error file=forged.js::not conventional ##[warning]legacy\n\n::stop-commands::T0KEN'
commit "docs: <img src=x> | \`tick\` *bold*"
