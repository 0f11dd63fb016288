; The Windows installer of R3izzy Desktop: r3izzy-desktop-setup-<version>.exe.
;
; Built on Linux or Windows by build/windows/installer.py (makensis, NSIS 3) from the
; one-folder app in dist/r3izzy-desktop/:
;   makensis -DVERSION=0.1.0 -DSOURCE=dist/r3izzy-desktop -DOUTFILE=dist/setup.exe
;            -DICON=resources/icons/app.ico build/windows/installer.nsi
;
; What it promises (build/windows/installer-test.sh checks each under Wine):
; - a per-user install, no administrator: %LOCALAPPDATA%\Programs\R3izzy Desktop;
; - a Start-menu shortcut and an optional desktop one, with the app's icon;
; - an uninstaller registered under HKCU\...\Uninstall\R3izzy Desktop;
; - installing over an older version replaces its program files in place;
; - never, in install or uninstall, a file of the clinic's data folder
;   (%LOCALAPPDATA%\R3izzy Desktop: the database, its backups and the log): the program
;   folder is another one, and the uninstaller deletes only what the installer put there.

; A 64-bit installer for the 64-bit app (Windows 10/11 x64); it also runs under a
; 64-bit-only Wine, which cannot start NSIS's default 32-bit one.
Target amd64-unicode
ManifestDPIAware true

!ifndef VERSION
  !error "VERSION is required (-DVERSION=0.1.0)"
!endif
!ifndef SOURCE
  !error "SOURCE is required: the one-folder app (-DSOURCE=dist/r3izzy-desktop)"
!endif
!ifndef OUTFILE
  !define OUTFILE "r3izzy-desktop-setup-${VERSION}.exe"
!endif
!ifndef ICON
  !define ICON "resources\icons\app.ico"
!endif
; Four numbers for Windows' file version (0.1.0 -> 0.1.0.0).
!ifndef FILE_VERSION
  !define FILE_VERSION "${VERSION}.0"
!endif

!define APP "R3izzy Desktop"
!define EXE "r3izzy-desktop.exe"
!define UNINSTALLER "desinstalar.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"

Name "${APP}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APP}"
; An upgrade goes where the installed version is.
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
; installer.py picks the compressor (-X SetCompressor ...): lzma unless told otherwise.
BrandingText "${APP} ${VERSION}"

VIProductVersion "${FILE_VERSION}"
VIAddVersionKey /LANG=1046 "ProductName" "${APP}"
VIAddVersionKey /LANG=1046 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1046 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1046 "FileDescription" "Instalador do ${APP}"
VIAddVersionKey /LANG=1046 "LegalCopyright" "R3izzy"

!include "MUI2.nsh"
!include "LogicLib.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Abrir o ${APP} agora"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "PortugueseBR"

; The clinic's data folder (platformdirs' user data folder of the app): never written,
; never deleted, never the program folder.
Var DataDir

Function .onInit
  StrCpy $DataDir "$LOCALAPPDATA\${APP}"
FunctionEnd

Function .onVerifyInstDir
  ; Installing into the data folder would mix the program with the clinic's data.
  ${If} $INSTDIR == $DataDir
    Abort
  ${EndIf}
FunctionEnd

; The program must not be running while its files are replaced or removed: Windows keeps
; a running exe and its DLLs locked, and a half-replaced program would not start. A
; running exe cannot be opened for writing, which tells.
!macro EnsureClosed
  ${Do}
    StrCpy $R0 ""
    ${If} ${FileExists} "$INSTDIR\${EXE}"
      ClearErrors
      FileOpen $R1 "$INSTDIR\${EXE}" a
      ${If} ${Errors}
        StrCpy $R0 "open"
      ${Else}
        FileClose $R1
      ${EndIf}
    ${EndIf}
    ${If} ${FileExists} "$INSTDIR\r3izzy-desktop-cli.exe"
      ClearErrors
      FileOpen $R1 "$INSTDIR\r3izzy-desktop-cli.exe" a
      ${If} ${Errors}
        StrCpy $R0 "open"
      ${Else}
        FileClose $R1
      ${EndIf}
    ${EndIf}
    ${If} $R0 == ""
      ${Break}
    ${EndIf}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION \
      "O ${APP} está aberto. Feche todas as janelas dele e clique em Repetir." \
      /SD IDCANCEL IDRETRY +2
    Abort "O ${APP} estava aberto: nada foi alterado."
  ${Loop}
!macroend

Section "${APP}" SecApp
  SectionIn RO
  !insertmacro EnsureClosed
  ${If} $INSTDIR == $DataDir
    Abort "A pasta de instalação não pode ser a pasta de dados da clínica ($DataDir)."
  ${EndIf}
  ; Upgrade in place: the older version's program files go first, so no file of it stays
  ; beside the new ones. Only what this installer puts here is removed.
  ${If} ${FileExists} "$INSTDIR\${EXE}"
    DetailPrint "Substituindo a versão instalada em $INSTDIR"
    RMDir /r "$INSTDIR\_internal"
    Delete "$INSTDIR\${EXE}"
    Delete "$INSTDIR\r3izzy-desktop-cli.exe"
  ${EndIf}
  SetOutPath "$INSTDIR"
  File /r "${SOURCE}\*.*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0 \
    SW_SHOWNORMAL "" "Pacotes de sessões da clínica"

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "R3izzy"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
!ifdef SIZE_KB
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" ${SIZE_KB}
!endif
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Atalho na área de trabalho" SecDesktop
  CreateShortcut "$DESKTOP\${APP}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0 \
    SW_SHOWNORMAL "" "Pacotes de sessões da clínica"
SectionEnd

Section "Uninstall"
  ; Only the program: the clinic's data folder ($LOCALAPPDATA\R3izzy Desktop), its
  ; backups and the app's settings stay, for a reinstall or another version.
  !insertmacro EnsureClosed
  Delete "$SMPROGRAMS\${APP}.lnk"
  Delete "$DESKTOP\${APP}.lnk"
  ${If} $INSTDIR != "$LOCALAPPDATA\${APP}"
    RMDir /r "$INSTDIR\_internal"
  ${EndIf}
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\r3izzy-desktop-cli.exe"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"  ; only when nothing else is left in it
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd
