"""`python -m mujaz` and the `mujaz` console script."""

import signal
import sys


def main() -> None:
    from mujaz.errors import run_app

    code = run_app(sys.argv[1:])
    # Said and settled, the output flushed, whatever the code: a Ctrl-C pressed now (a second one, or
    # one as the last result came out) would land in the libraries' exit hooks (torch's) and print
    # their traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)


if __name__ == "__main__":
    main()
