"""The app around the screens: start-up (app.py, startup.py), the main window and its
navigation, following other PCs (live_refresh.py), the start-up checks, Sobre, the smoke
test and the screenshots. It builds the screens; no screen imports it."""
