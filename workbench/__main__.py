"""`python -m workbench` runs the command line."""

from workbench.cli import run

if __name__ == "__main__":  # a process spawned by `SemanticSearch` imports this again
    run()
