#!/usr/bin/env bash
# Set up İzlek, build the warehouse from data/raw and open the dashboard.
#
#   bash scripts/start.sh [extra `streamlit run` arguments]
#
# The port is $PORT, or 8501. Works from any directory.
set -euo pipefail

# shellcheck source=scripts/_setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
izlek_setup
izlek_report_chromium

izlek_log "building the warehouse from data/raw…"
if ! .venv/bin/python -m etl build; then
    izlek_log "error: 'python -m etl build' failed; the messages above say which file and why"
    exit 1
fi

port="${PORT:-8501}"
izlek_log "starting the dashboard on http://localhost:$port"
# No usage statistics: the dashboard is for people who may not want to be tracked.
export IZLEK_READ_ONLY="${IZLEK_READ_ONLY:-0}"  # the person running it on their own machine may review tags
exec .venv/bin/python -m app.serve --server.headless true --server.port "$port" \
    --browser.gatherUsageStats false "$@"
