#!/usr/bin/env bash
# Build the Windows installer and prove, under Wine, what build/windows/installer.nsi
# promises: silent install (/S) per user into %LOCALAPPDATA%\Programs\R3izzy Desktop,
# the shortcuts, the uninstall entry, an upgrade over an older version in place, the
# installed program working, and an uninstall that leaves the clinic's data folder
# (%LOCALAPPDATA%\R3izzy Desktop) exactly as it was.
#
#   build/windows/installer-test.sh VERSION     (after ci.sh's setup and build stages)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
# shellcheck source=build/windows/wine.sh
source "$ROOT/build/windows/wine.sh"
VERSION=$1
HOST_PYTHON="$ROOT/.venv/bin/python"
[ -x "$HOST_PYTHON" ] || HOST_PYTHON=python3

LOCAL="$(wine_user_dir)/AppData/Local"
PROGRAM="$LOCAL/Programs/R3izzy Desktop"
DATA="$LOCAL/R3izzy Desktop"
START_MENU="$(wine_user_dir)/AppData/Roaming/Microsoft/Windows/Start Menu/Programs"
DESKTOP="$(wine_user_dir)/Desktop"
KEY='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\R3izzy Desktop'
SETUP="dist/r3izzy-desktop-setup-$VERSION.exe"
SCRATCH="$WIN_WORK/installer"

running=""
fail() {
    echo "INSTALLER TEST FAILED: $*" >&2
    [ -z "$running" ] || kill "$running" 2>/dev/null || true
    exit 1
}

expect_file() { [ -f "$1" ] || fail "missing $1"; }
expect_gone() { [ ! -e "$1" ] || fail "still there: $1"; }

registry_value() {  # registry_value NAME: the uninstall entry's value, empty when absent
    wrun reg query "$KEY" /v "$1" 2>/dev/null | awk -v name="$1" '$1 == name {sub(/^[^R]*REG_[A-Z]+[ \t]+/, ""); print}' || true
}

# Every file of the data folder with its checksum: what must never change.
fingerprint() {
    (cd "$DATA" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
}

# Run a Windows program as at a clinic: its own data folder, its own database.
as_clinic() {
    (unset R3IZZY_DATA_DIR R3IZZY_DB; wrun "$@")
}

# Run a Windows program and wait until it and everything it started (an NSIS
# uninstaller re-runs itself from a temporary copy) have ended.
run_and_wait() {
    wrun "$@"
    wineserver -w
}

# --- a clean slate: no install, no data folder, from an earlier run ----------------------
rm -rf "$SCRATCH" "$PROGRAM" "$DATA"
rm -f "$START_MENU/R3izzy Desktop.lnk" "$DESKTOP/R3izzy Desktop.lnk"
wrun reg delete "$KEY" /f >/dev/null 2>&1 || true
mkdir -p "$SCRATCH"

# --- the installers: this version, and an "older" one to upgrade over --------------------
started=$SECONDS
[ -n "${R3IZZY_REUSE_SETUP:-}" ] && [ -f "$SETUP" ] || "$HOST_PYTHON" build/windows/installer.py --version "$VERSION" --out "$SETUP"
echo "installer built in $((SECONDS - started)) s"
old="$SCRATCH/old-app"
mkdir -p "$old/_internal"
cp dist/r3izzy-desktop/r3izzy-desktop.exe dist/r3izzy-desktop/r3izzy-desktop-cli.exe "$old/"
echo "a file only the older version had" >"$old/_internal/so-na-versao-antiga.txt"
"$HOST_PYTHON" build/windows/installer.py --source "$old" --version 0.0.1 --compressor zlib \
    --out "$SCRATCH/r3izzy-desktop-setup-0.0.1.exe" >/dev/null

# --- the clinic's data, made by the built program where the installed one looks ----------
mkdir -p "$DATA/backups"
(cd dist/r3izzy-desktop && as_clinic r3izzy-desktop-cli.exe demo --out "$(winpath "$DATA/r3izzy.db")")
(cd dist/r3izzy-desktop && as_clinic r3izzy-desktop-cli.exe backup --out "$(winpath "$DATA/backups/r3izzy-manual.db")")
expect_file "$DATA/r3izzy.db"
expect_file "$DATA/backups/r3izzy-manual.db"

# --- the older version, then this one over it --------------------------------------------
run_and_wait "$SCRATCH/r3izzy-desktop-setup-0.0.1.exe" /S
expect_file "$PROGRAM/_internal/so-na-versao-antiga.txt"
[ "$(registry_value DisplayVersion)" = 0.0.1 ] || fail "the older version is not registered"
before=$(fingerprint)

started=$SECONDS
run_and_wait "$SETUP" /S
echo "silent install took $((SECONDS - started)) s"
for file in r3izzy-desktop.exe r3izzy-desktop-cli.exe desinstalar.exe \
    _internal/resources/icons/app.ico _internal/resources/translations/qtbase_pt_BR.qm; do
    expect_file "$PROGRAM/$file"
done
expect_gone "$PROGRAM/_internal/so-na-versao-antiga.txt"
[ "$(registry_value DisplayVersion)" = "$VERSION" ] || fail "DisplayVersion is not $VERSION"
location=$(registry_value InstallLocation)
[ "$(realpath -m "$(winepath -u "$location")")" = "$(realpath -m "$PROGRAM")" ] ||
    fail "InstallLocation is $location"
uninstall=$(registry_value UninstallString)
[[ $uninstall == *'R3izzy Desktop\desinstalar.exe"' ]] || fail "UninstallString is $uninstall"
for link in "$START_MENU/R3izzy Desktop.lnk" "$DESKTOP/R3izzy Desktop.lnk"; do
    expect_file "$link"
    # A shell link keeps its target (and here its icon, the exe's own) in UTF-16.
    iconv -f utf-16le -t utf-8 -c "$link" | tr -d '\0' | grep -q 'Programs\\R3izzy Desktop\\r3izzy-desktop.exe' \
        || fail "$link does not point at the installed r3izzy-desktop.exe"
done
[ "$(fingerprint)" = "$before" ] || fail "the upgrade changed the data folder"
echo "installed in $(winpath "$PROGRAM"), shortcuts in the Start menu and on the desktop"

# --- while the program runs, neither installing over it nor uninstalling touches it ------
# The installed program, busy (building the large demo clinic takes a minute under Wine).
# Under Wine 8 it does not outlive an NSIS program started beside it, so each refusal gets
# a program of its own; it runs (kill -0) when the installer or uninstaller starts.
busy="$SCRATCH/ocupado"
start_program() {
    rm -rf "$busy" && mkdir -p "$busy"
    (cd "$PROGRAM" && HOME="$WIN_WORK/home" exec wine r3izzy-desktop-cli.exe demo --size large \
        --out "$(winpath "$busy/grande.db")" </dev/null >/dev/null 2>&1) &
    running=$!
    for _ in $(seq 600); do  # until it has started (it writes its database first)
        [ -e "$busy/grande.db" ] && return 0
        kill -0 "$running" 2>/dev/null || fail "the installed program did not start"
        sleep 0.1
    done
    fail "the installed program did not start in a minute"
}
stop_program() {
    kill "$running" 2>/dev/null || true
    wait "$running" 2>/dev/null || true
    wineserver -w
}
start_program
if wrun "$SETUP" /S; then fail "the installer went on while the program was running"; fi
stop_program
start_program
# _?= runs the uninstaller in place, so its exit code is its own; NSIS takes it unquoted,
# so the folder by its short name (no spaces).
if wrun "$PROGRAM/desinstalar.exe" /S "_?=$(winepath -s "$(winpath "$PROGRAM")" 2>/dev/null)"; then
    fail "the uninstaller went on while the program was running"
fi
stop_program
for file in r3izzy-desktop.exe r3izzy-desktop-cli.exe desinstalar.exe _internal/resources/icons/app.ico; do
    expect_file "$PROGRAM/$file"
done
[ "$(registry_value DisplayVersion)" = "$VERSION" ] || fail "the refused runs changed the entry"
echo "with the program running, the installer and the uninstaller stopped and changed nothing"

# --- the installed program works, on the clinic's database in the data folder ------------
(cd "$PROGRAM" && wrun r3izzy-desktop-cli.exe --smoke)
(cd "$PROGRAM" && as_clinic r3izzy-desktop-cli.exe check) \
    | tee "$SCRATCH/check.txt"
grep -qx OK "$SCRATCH/check.txt" || fail "the installed program's check of the data folder"
before=$(fingerprint)

# --- uninstall: the program goes, the data stays ----------------------------------------
started=$SECONDS
run_and_wait "$PROGRAM/desinstalar.exe" /S
echo "silent uninstall took $((SECONDS - started)) s"
expect_gone "$PROGRAM"
expect_gone "$START_MENU/R3izzy Desktop.lnk"
expect_gone "$DESKTOP/R3izzy Desktop.lnk"
[ -z "$(registry_value DisplayName)" ] || fail "the uninstall entry is still registered"
[ "$(fingerprint)" = "$before" ] || fail "the uninstaller changed the data folder"
echo "uninstalled; the data folder is intact ($(echo "$before" | wc -l) files)"
ls -l "$SETUP"
