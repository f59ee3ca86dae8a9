"""`python -m mujaz` and the `mujaz` console script."""

import signal
import sys


def main() -> None:
    from mujaz.errors import ExitCode, run_app

    code = run_app(sys.argv[1:])
    if code in (ExitCode.INTERRUPTED, ExitCode.TERMINATED):
        # Said and settled: a second Ctrl-C pressed now would land in the libraries' exit hooks
        # (torch's) and print their traceback.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)


if __name__ == "__main__":
    main()
