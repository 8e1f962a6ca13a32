from game.commands.main import main

raise SystemExit(main())
