#!/bin/sh
# run-browser.sh - the browser tests (tests/browser/): Chromium driven by
# playwright-core against the real daemons; screenshots in tests/artifacts/.
exec "$(dirname "$0")/lib/node-suite.sh" browser
