# Helpers to run the Windows program and the Windows Python under Wine (sourced by ci.sh).
#
# Wine 8's traps, found on this machine (see README, "Windows"): Python started with its
# output going to a regular file dies at start ("init_sys_streams ... Invalid handle"),
# so every Windows program's output goes through a pipe; `platform.*` aborts Wine through
# Python's _wmi module unless wbemprox is disabled; Mono and Gecko prompts are switched off.

WIN_WORK=${R3IZZY_WIN_WORK:-$ROOT/build/windows/work}
export WINEPREFIX="$WIN_WORK/prefix"
export WINEARCH=win64
export WINEDEBUG=-all
# winemenubuilder would copy the installer's shortcuts into the host's menus.
export WINEDLLOVERRIDES="mscoree,mshtml=;wbemprox=;winemenubuilder.exe=d"
# The Windows Python's own folder inside the prefix, as Windows and as Linux see it.
WIN_PYTHON='C:\Python313\python.exe'
WIN_PYTHON_DIR="$WINEPREFIX/drive_c/Python313"

# Run a Windows program under Wine, its output through a pipe (carriage returns dropped,
# Windows' ANSI code page cp1252 made UTF-8);
# returns the program's own exit code. HOME is a scratch folder: Wine links the prefix's
# Desktop and Documents to the host's home, where the installer's shortcut would land.
#
# Its standard error goes through a pipe of its own that nothing waits for: every Windows
# process the program starts inherits Wine's Unix stderr, and one may outlive it (a
# conhost.exe of a test's console subprocess, left running: 2026-12-06, where the UI
# suite passed in 171 s and its stage waited for ever on the pipe that conhost held). The
# standard output ends with the program; `wineserver -k` ends whatever it left behind.
# WRUN_LIMIT_S, when set, stops the program after that many seconds (exit code 124).
wrun() {
    local rc limit=()
    [ -z "${WRUN_LIMIT_S:-}" ] || limit=(timeout --kill-after=30 "$WRUN_LIMIT_S")
    set +e
    HOME="$WIN_WORK/home" "${limit[@]}" wine "$@" </dev/null 2> >(sed -u 's/\r$//' >&2) \
        | sed -u 's/\r$//' | iconv -f CP1252 -t UTF-8 -c
    rc=${PIPESTATUS[0]}
    set -e
    return "$rc"
}

# The Windows Python, from the repository root (Z:\...\repo as Windows sees it).
wpython() {
    (cd "$ROOT" && wrun "$WIN_PYTHON" "$@")
}

# A Linux path as Windows sees it under Wine (Z:\...).
winpath() {
    winepath -w "$1" 2>/dev/null
}

# The prefix's user folders, as Linux sees them.
wine_user_dir() {
    echo "$WINEPREFIX/drive_c/users/$(id -un)"
}
