# shellcheck shell=bash
# Shared set-up for scripts/start.sh and scripts/test.sh; sourced, never run on its own.
#
# After `izlek_setup` the current directory is the repository root and .venv/ holds every
# package of requirements.txt (and of requirements-dev.txt after `izlek_setup dev`). The two
# entry scripts must work on a fresh Debian machine that
# has nothing but Python 3.11, so everything they need is installed from here.

# Work from the repository root whatever the caller's cwd: every path below is relative to it.
IZLEK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$IZLEK_ROOT"

IZLEK_VENV=".venv"
# The stamp lives inside .venv so that deleting the venv also forgets the stamp.
IZLEK_STAMP="$IZLEK_VENV/.requirements.sha256"
# Why Chromium was not installed, for the scripts to print; empty when it is there.
IZLEK_CHROMIUM_SKIP=""

izlek_log() {
    printf '[izlek] %s\n' "$*" >&2
}

izlek_is_root_with_apt() {
    [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1
}

# Install Debian's chromium (kaleido's static chart export and browser tests drive it) and
# the DejaVu fonts (Turkish glyphs for the sample generator and the PDF test fixtures).
# Optional: any failure here is reported and the set-up goes on, because the ETL, the
# dashboard and most tests do not need a browser.
izlek_install_chromium() {
    if command -v chromium >/dev/null 2>&1 && [[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]]; then
        return 0
    fi
    if [[ -n "${IZLEK_SKIP_CHROMIUM:-}" ]]; then
        IZLEK_CHROMIUM_SKIP="IZLEK_SKIP_CHROMIUM is set"
    elif ! izlek_is_root_with_apt; then
        IZLEK_CHROMIUM_SKIP="not root or no apt-get; install it yourself with 'sudo apt-get install chromium'"
    else
        izlek_log "installing Debian chromium (apt-get)…"
        if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq \
                && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core \
                    >/dev/null; } </dev/null; then
            IZLEK_CHROMIUM_SKIP="apt-get could not install chromium (see the messages above)"
        elif ! command -v chromium >/dev/null 2>&1; then
            IZLEK_CHROMIUM_SKIP="apt-get ran but no 'chromium' is on PATH"
        fi
    fi
    if [[ -n "$IZLEK_CHROMIUM_SKIP" ]]; then
        izlek_log "chromium skipped: $IZLEK_CHROMIUM_SKIP (static chart export will not work)"
    fi
    return 0
}

# One line saying which chromium is there, or why not.
izlek_report_chromium() {
    if command -v chromium >/dev/null 2>&1; then
        # --version never opens a window; the timeout guards against a broken install hanging.
        izlek_log "chromium: $(timeout 30 chromium --version 2>/dev/null || echo 'installed, but --version failed')"
    else
        izlek_log "chromium: not installed (${IZLEK_CHROMIUM_SKIP:-not found on PATH})"
    fi
}

# Print the interpreter to build the venv with: python3.11, else python3 if it is 3.11+.
izlek_find_python() {
    local candidate
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 \
            && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

# Create .venv unless a working one is there. Debian splits venv/ensurepip into the
# python3-venv package, which a "Python only" machine often lacks: install it when we can.
izlek_ensure_venv() {
    if [[ -x "$IZLEK_VENV/bin/python" ]] && "$IZLEK_VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        return 0
    fi
    local python
    if ! python="$(izlek_find_python)"; then
        izlek_log "error: İzlek needs Python 3.11 or newer as 'python3.11' or 'python3' on PATH"
        return 1
    fi
    if [[ -e "$IZLEK_VENV" ]]; then
        # A venv whose interpreter is gone (moved repo, removed Python) cannot be repaired.
        izlek_log "removing broken $IZLEK_VENV"
        rm -rf "$IZLEK_VENV"
    fi
    izlek_log "creating $IZLEK_VENV with $python ($("$python" --version 2>&1))"
    if ! "$python" -m venv "$IZLEK_VENV"; then
        rm -rf "$IZLEK_VENV"
        if ! izlek_is_root_with_apt; then
            izlek_log "error: '$python -m venv' failed; install Debian's python3-venv package and retry"
            return 1
        fi
        izlek_log "'$python -m venv' failed; installing Debian python3-venv and retrying"
        { DEBIAN_FRONTEND=noninteractive apt-get update -qq \
            && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv \
                >/dev/null; } </dev/null
        "$python" -m venv "$IZLEK_VENV"
    fi
}

# pip install -r FILE (requirements.txt by default), skipped when the files have not changed
# since the last successful install of FILE (their hash is kept in the stamp file).
izlek_install_requirements() {
    local file="${1:-requirements.txt}" stamp want have=""
    stamp="$IZLEK_STAMP"
    [[ "$file" != requirements.txt ]] && stamp="$IZLEK_VENV/.${file%.txt}.sha256"
    if [[ "$file" == requirements.txt ]]; then
        want="$(sha256sum requirements.txt | cut -d' ' -f1)"
    else  # it includes requirements.txt (-r): a change to either means an install
        want="$(cat requirements.txt "$file" | sha256sum | cut -d' ' -f1)"
    fi
    [[ -f "$stamp" ]] && have="$(<"$stamp")"
    if [[ "$want" == "$have" ]]; then
        izlek_log "$file unchanged since the last install; skipping pip"
        return 0
    fi
    izlek_log "installing $file into $IZLEK_VENV (takes a few minutes the first time)…"
    "$IZLEK_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        --no-input -r "$file" </dev/null
    # Written only after pip succeeded, so a failed install is retried next time.
    printf '%s\n' "$want" >"$stamp"
}

# LibreOffice Writer and Calc (no GUI): the variety test bed (tests/fixtures/variety) prints
# documents with them. Optional like chromium: without it those tests skip with a message.
izlek_install_libreoffice() {
    if command -v soffice >/dev/null 2>&1 || [[ -n "${IZLEK_SKIP_LIBREOFFICE:-}" ]]; then
        return 0
    fi
    if ! izlek_is_root_with_apt; then
        izlek_log "libreoffice skipped: not root or no apt-get (variety tests of Writer-made PDFs will skip)"
        return 0
    fi
    izlek_log "installing LibreOffice Writer and Calc (apt-get)…"
    if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq \
            && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            libreoffice-writer-nogui libreoffice-calc-nogui >/dev/null; } </dev/null; then
        izlek_log "libreoffice skipped: apt-get could not install it (variety tests of Writer-made PDFs will skip)"
    fi
    return 0
}

# Everything both entry scripts need before they run anything of the project; `izlek_setup dev`
# adds the test tools (requirements-dev.txt).
izlek_setup() {
    izlek_install_chromium
    izlek_ensure_venv
    if [[ "${1:-}" == dev ]]; then
        izlek_install_libreoffice  # the variety test bed only; a user's dashboard does not need it
        izlek_install_requirements requirements-dev.txt
    else
        izlek_install_requirements
    fi
}
