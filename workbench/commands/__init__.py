"""One module a subcommand; see `workbench.cli`."""
