#!/usr/bin/env bash
# dev.sh: set up and run Depot on a Debian/Ubuntu machine.
#
#   ./dev.sh run [ARGS...]          set up if needed, then run `depot ARGS...` (no ARGS: the GUI)
#   ./dev.sh test [PYTEST_ARGS...]  set up if needed, then ruff, import-linter and pytest
#   ./dev.sh lock [UV_ARGS...]      regenerate requirements.lock (maintainers; e.g. --upgrade)
#
# Set-up is idempotent: it checks the Debian packages Qt needs, creates .venv, installs
# requirements.lock (hash-checked) and the project in editable mode, then writes a stamp
# keyed on requirements.lock + pyproject.toml. Later runs only compare the stamp.
#
# Environment: DEPOT_PYTHON=/path/to/python3.x picks the interpreter for a new .venv;
# DEPOT_SKIP_APT=1 skips the Debian package check (other distributions).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
STAMP="$VENV/.depot-setup-stamp"

# The packages holding the libraries that PySide6-Essentials 6.11.3 links against directly
# and a minimal Debian lacks (readelf -d NEEDED of Qt{Core,Gui,Widgets,PrintSupport,DBus,
# XcbQpa} and the platforms/{xcb,offscreen}, xcbglintegrations and printsupport plugins),
# and for the admission photo's camera PySide6-Addons' Qt{Multimedia,MultimediaWidgets} and
# the multimedia/ffmpegmediaplugin (without them the camera is off: a photo file still works).
# libc6, libstdc++6, libgcc-s1, zlib1g, libzstd1 and libbz2-1.0 are in every base system.
DEB_PACKAGES=(
    libglib2.0-0 libdbus-1-3                       # QtCore, QtDBus (QtGui needs it)
    libegl1 libgl1 libfontconfig1 libfreetype6     # QtGui (offscreen needs these too)
    libx11-6 libxkbcommon0                         # QtGui
    libx11-xcb1 libxcb1 libxkbcommon-x11-0         # xcb platform plugin (the real GUI)
    libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
    libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1
    libxcb-util1 libxcb-xfixes0 libxcb-xkb1
    libxcb-glx0                                    # xcb GLX integration plugin
    libcups2                                       # QPrinter's CUPS backend (real printers)
    libpulse0                                      # QtMultimedia (the camera; import fails without)
    libxrandr2 libxext6 libdrm2                    # the FFmpeg multimedia plugin (camera backend)
)

log() { printf 'dev.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

setup_key() { cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1; }

# A Python we accept for a new .venv: 3.11 <= version < 3.14 (pyproject's requires-python).
py_ok() { "$1" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 14))' 2>/dev/null; }

find_python() {
    local c
    if [[ -n ${DEPOT_PYTHON:-} ]]; then
        py_ok "$DEPOT_PYTHON" || die "DEPOT_PYTHON=$DEPOT_PYTHON is not a Python 3.11-3.13"
        command -v "$DEPOT_PYTHON"
        return
    fi
    # 3.11 first: PySide6 is pinned to 6.11.3 there (6.12.0 aborts on CPython 3.11).
    for c in python3.11 python3 python3.12 python3.13; do
        if command -v "$c" >/dev/null 2>&1 && py_ok "$c"; then
            command -v "$c"
            return
        fi
    done
    return 1
}

venv_ok() { [[ -x $VENV/bin/python ]] && py_ok "$VENV/bin/python"; }

deb_installed() {
    # The t64 rename (Debian trixie, Ubuntu 24.04) keeps the old name only as a virtual one.
    local n
    for n in "$1" "${1}t64"; do
        dpkg-query -W -f='${Status}\n' "$n" 2>/dev/null | grep -qx 'install ok installed' && return 0
    done
    return 1
}

# (a) Debian packages. $1: the Python a new .venv will be made with ("" if none is
# needed): it must have ensurepip (pythonX.Y-venv). $2 = qt: also Qt's run-time libraries.
check_debian_packages() {
    local py="$1" want_qt="${2:-}" missing=() p ver
    if [[ -n ${DEPOT_SKIP_APT:-} ]]; then return 0; fi
    if ! command -v dpkg-query >/dev/null 2>&1; then
        log "not a Debian/Ubuntu system: skipping the package check" \
            "(Qt needs EGL, GL, fontconfig, xkbcommon, dbus, glib and the xcb libraries)"
        return 0
    fi
    if [[ -n $py ]] && ! "$py" -c 'import ensurepip, venv' 2>/dev/null; then
        ver=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
        missing+=("python${ver}-venv")
    fi
    if [[ $want_qt == qt ]]; then
        for p in "${DEB_PACKAGES[@]}"; do
            deb_installed "$p" || missing+=("$p")
        done
    fi
    apt_install "${missing[@]}"
}

# Installs Debian packages as root; otherwise prints the command and stops.
apt_install() {
    (($# == 0)) && return 0
    if [[ $(id -u) -eq 0 ]]; then
        log "installing Debian packages: $*"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    else
        log "missing Debian packages; run this, then try again:"
        printf '  sudo apt-get install --no-install-recommends %s\n' "$*" >&2
        exit 1
    fi
}

# A Python for a new .venv; on Debian/Ubuntu without one, installs python3 first.
python_for_venv() {
    local py
    if py=$(find_python); then
        printf '%s\n' "$py"
        return
    fi
    if [[ -z ${DEPOT_PYTHON:-} && -z ${DEPOT_SKIP_APT:-} ]] && command -v apt-get >/dev/null 2>&1; then
        apt_install python3 python3-venv >&2
        py=$(find_python) && { printf '%s\n' "$py"; return; }
    fi
    die "no Python 3.11-3.13 found; install one (e.g. sudo apt-get install python3.11 python3.11-venv)" \
        "or point DEPOT_PYTHON at it"
}

# (b) .venv from $1 (a Python found by find_python).
make_venv() {
    local py="$1"
    log "creating .venv with $py ($("$py" -V 2>&1))"
    rm -rf "$VENV"
    "$py" -m venv "$VENV" || { rm -rf "$VENV"; die "could not create .venv with $py"; }
}

stamp_ok() { venv_ok && [[ -f $STAMP && $(<"$STAMP") == "$1" ]]; }

ensure() {
    local key py=""
    key=$(setup_key)
    stamp_ok "$key" && return 0
    # Slow path. Serialise concurrent set-ups of the same tree (a lock on the tree itself).
    exec 9<"$ROOT"
    flock 9
    if stamp_ok "$key"; then
        exec 9<&-
        return 0
    fi
    venv_ok || py=$(python_for_venv)
    check_debian_packages "$py" qt
    [[ -z $py ]] || make_venv "$py"
    # (c) the locked requirements (hash-checked), then the project itself, editable.
    log "installing requirements.lock and the project into .venv"
    rm -f "$STAMP"
    local pip=("$VENV/bin/python" -m pip --disable-pip-version-check --no-input -q)
    "${pip[@]}" install --require-hashes -r requirements.lock
    "${pip[@]}" install --no-deps -e .
    # (d) the stamp.
    printf '%s\n' "$key" >"$STAMP"
    exec 9<&-
    log "set-up done"
}

cmd_run() {
    ensure
    exec "$VENV/bin/depot" "$@"
}

# The tests read back what they print: pdftoppm/pdftotext/pdfinfo/pdffonts (poppler-utils).
ensure_test_tools() {
    local tool
    for tool in pdftoppm pdftotext pdfinfo pdffonts; do
        command -v "$tool" >/dev/null 2>&1 && continue
        if [[ -n ${DEPOT_SKIP_APT:-} ]]; then
            die "the tests need $tool (poppler-utils)"
        fi
        apt_install poppler-utils
        return
    done
}

cmd_test() {
    ensure
    ensure_test_tools
    local failed=() rc=0
    # Linters first, pytest last: its summary line is the last line of the output.
    "$VENV/bin/ruff" check . || failed+=("ruff check")
    "$VENV/bin/lint-imports" || failed+=("lint-imports")
    QT_QPA_PLATFORM=offscreen "$VENV/bin/python" -m pytest "$@" || rc=$?
    case $rc in
        0) ;;
        5) failed+=("pytest (exit 5: no tests collected)") ;;
        *) failed+=("pytest (exit $rc)") ;;
    esac
    if ((${#failed[@]})); then
        local IFS=';'
        log "FAILED: ${failed[*]}"
        ((rc != 0)) && exit "$rc"
        exit 1
    fi
}

cmd_lock() {
    local py
    if ! venv_ok; then
        py=$(python_for_venv)
        check_debian_packages "$py"
        make_venv "$py"
    fi
    if [[ ! -x $VENV/bin/uv ]]; then
        "$VENV/bin/python" -m pip --disable-pip-version-check -q install uv
    fi
    "$VENV/bin/uv" pip compile --quiet pyproject.toml --extra dev --python-version 3.11 \
        --generate-hashes -o requirements.lock "$@"
}

usage() {
    sed -n '2,7s/^# \{0,1\}//p' "$0"
}

case ${1:-} in
    run) shift; cmd_run "$@" ;;
    test) shift; cmd_test "$@" ;;
    lock) shift; cmd_lock "$@" ;;
    -h | --help | help | "") usage ;;
    *) usage >&2; exit 2 ;;
esac
