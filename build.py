"""Build the SCO summit dataset: `python build.py [build|check|serve|metadata] --help`."""

from sco_data.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
