@echo off
rem Removes what install.cmd set up for this person.
setlocal
set "dest=%LOCALAPPDATA%\Programs\dialbridge"
"%dest%\dialbridge.exe" autostart off
"%dest%\dialbridge.exe" unregister
taskkill /im dialbridge.exe /f >nul 2>&1
del /q "%dest%\dialbridge.exe"
rmdir "%dest%" 2>nul
echo dialbridge is removed.
