"""The ``pact`` command line: one module per family of subcommands, shared options in one place.

``main`` parses the arguments and turns bad input into one line and exit status 2. Nothing in
the game imports this package: it sits on top and drives the rest.
"""
