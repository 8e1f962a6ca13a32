try:
    from game.commands.main import main
except KeyboardInterrupt:  # Ctrl-C while Python starts: a clean interrupt, not a traceback
    raise SystemExit(130) from None

raise SystemExit(main())
