#!/usr/bin/env bash
# The demo's sample application repository: a small "shop-api" with a real git history written in
# Conventional Commits - four releases tagged v1.0.0 .. v1.2.0, then a fix, a feature branch
# squash-merged the way GitHub does it (the title is not conventional, the body's bullets are), a
# breaking `feat(api)!:` and two commits that release nothing. semver-tag should make it 2.0.0.
#
#   scripts/demo.d/sample-repo.sh DIR          creates DIR (which must not exist) and the history
#   scripts/demo.d/sample-repo.sh --fix DIR    adds the fix of the next release (2.0.1) on top
#
# The commits have fixed dates and author (tests/semver/lib.sh), so their ids are the same on every
# machine and every day.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/tests/semver/lib.sh"

if [[ $1 == --fix ]]; then
  cd "$2"
  _semver_clock=1700100000
  commit "fix(orders): store the currency with each order line" app/orders.py
  exit 0
fi
dir=$1
mkdir "$dir"
cd "$dir"

init main
commit "feat: list the products of the catalogue" app/products.py
tag v1.0.0 annotated
commit "fix(products): sort by name, not by id" app/products.py
tag v1.0.1 annotated
commit "feat(orders): create an order from a basket" app/orders.py
commit "docs: how to run the API locally" README.md
tag v1.1.0 annotated
commit "feat(orders): list a customer's orders" app/orders.py
commit "chore: pytest 8.3" requirements-dev.txt
tag v1.2.0 annotated

# Since v1.2.0, the release in production:
commit "fix(orders): an empty basket is a 422, not a 500" app/orders.py
git checkout -q -b multi-currency
commit "feat(orders): amounts carry a currency" app/orders.py
commit "fix(orders): round totals half to even" app/money.py
commit "test: orders in EUR and JPY" tests/test_orders.py
git checkout -q main
git merge -q --squash multi-currency >/dev/null
commit "Multi-currency orders (#42)

* feat(orders): amounts carry a currency

* fix(orders): round totals half to even

* test: orders in EUR and JPY" app/orders.py
git branch -q -D multi-currency
commit "feat(api)!: amounts are integers in minor units

Clients must divide by 10^exponent of the currency (100 for EUR, 1 for JPY)." app/money.py
commit "perf(products): cache the catalogue for 60 s" app/products.py
commit "ci: run the tests on Python 3.12" .github/workflows/test.yml
