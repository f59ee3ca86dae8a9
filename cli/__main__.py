"""`python -m mujaz` and the `mujaz` console script."""

import sys


def main() -> None:
    from mujaz.errors import run_app

    sys.exit(run_app(sys.argv[1:]))


if __name__ == "__main__":
    main()
