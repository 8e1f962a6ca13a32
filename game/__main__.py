try:
    from game.commands.main import main

    code = main()
except KeyboardInterrupt:  # Ctrl-C while Python starts, or between main's own guards
    raise SystemExit(130) from None

raise SystemExit(code)
