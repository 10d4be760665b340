@echo off
rem Installs dialbridge for the person running this, without administrator
rem rights: copies dialbridge.exe to %LOCALAPPDATA%\Programs\dialbridge,
rem registers it for tel:, callto: and sip: links (HKEY_CURRENT_USER) and
rem starts it at login. Windows then asks the person to confirm the handler
rem in Settings > Apps > Default apps.
setlocal
set "dest=%LOCALAPPDATA%\Programs\dialbridge"
if not exist "%dest%" mkdir "%dest%" || goto :fail
copy /y "%~dp0dialbridge.exe" "%dest%\dialbridge.exe" >nul || goto :fail
"%dest%\dialbridge.exe" register || goto :fail
"%dest%\dialbridge.exe" autostart on || goto :fail
start "" "ms-settings:defaultapps?registeredAppUser=dialbridge"
start "" "%dest%\dialbridge.exe"
echo dialbridge is installed in %dest%.
exit /b 0
:fail
echo Installing dialbridge failed.
exit /b 1
