#!/usr/bin/env bash
# Set up İzlek, lint it and run its tests.
#
#   bash scripts/test.sh [pytest arguments]     (default: the whole suite, -q)
#
# Works from any directory; this is what CI runs (.ci/run).
set -euo pipefail

# shellcheck source=scripts/_setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
izlek_setup dev
izlek_report_chromium

izlek_log "ruff check ."
.venv/bin/ruff check .

if (($# > 0)); then
    pytest_args=("$@")
else
    pytest_args=(-q)
fi
izlek_log "python -m pytest ${pytest_args[*]}"
status=0
# `python -m pytest` (not bare `pytest`) puts the repo root on sys.path, so tests import
# `etl` and `app` without installing the project.
.venv/bin/python -m pytest "${pytest_args[@]}" || status=$?
if ((status == 5)); then
    # pytest's 5 means "no tests collected": a green run that tested nothing must not pass.
    izlek_log "error: pytest collected no tests (exit 5); check the arguments and tests/"
    exit 1
fi
exit "$status"
