"""The game of one state, without a window: the session, saves, the forecast, move previews
and headlines. Imports no pygame; the window in :mod:`game.ui` and the commands build on it."""
