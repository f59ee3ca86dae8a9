"""The install maps cli/ -> mujaz and models/ -> mujaz.models; every package must be listed."""

import subprocess
import sys
import tomllib

from conftest import ROOT


def test_every_package_folder_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    mapping = config["package-dir"]
    found = set()
    for package, folder in mapping.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / folder)
            name = ".".join([package, *relative.parts]) if relative.parts else package
            if not any(name.startswith(other + ".") or name == other for other in mapping if other != package and len(other) > len(package)):
                found.add(name)
    assert found == listed


def test_installed_package_is_importable_under_one_name(tmp_path):
    # From outside the repository: the folder names cli/ and models/ must not leak as packages.
    code = ("import importlib.util as u, mujaz.models.base as b; "
            "print(b.__name__, u.find_spec('cli') is None, u.find_spec('models') is None)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert done.stdout.split() == ["mujaz.models.base", "True", "True"], done.stderr


def test_every_install_takes_the_torch_asked_for(tmp_path):
    """`make install TORCH_INDEX=<cpu> TORCH_SPEC=torch`, then a plain `make run`, or one after
    pyproject.toml changed: the CPU torch stays (the default's CUDA build came back, or the CPU one
    was never installed: `make install` did nothing). Run with a stand-in for Python that logs pip."""
    import shutil

    if shutil.which("make") is None:
        import pytest

        pytest.skip("no make here")
    repo, log = tmp_path / "repo", tmp_path / "pip.log"
    repo.mkdir()
    shutil.copy(ROOT / "Makefile", repo)
    (repo / "pyproject.toml").write_text("")
    python = tmp_path / "python3"  # `-m venv DIR` makes DIR/bin/python, itself; `-m pip ...` is logged
    python.write_text(f'#!/bin/sh\nif [ "$2" = venv ]; then mkdir -p "$3/bin" && cp "$0" "$3/bin/python"; exit 0; fi\n'
                      f'echo "$*" >> {log}\n')
    python.chmod(0o755)

    def install(*asked: str) -> list[str]:
        before = log.read_text().splitlines() if log.exists() else []
        subprocess.run(["make", "install", f"PYTHON={python}", *asked], cwd=repo, check=True, capture_output=True)
        return [line for line in log.read_text().splitlines()[len(before):] if "torch" in line]

    cpu = "-m pip install -q --index-url https://download.pytorch.org/whl/cpu torch"
    assert install("TORCH_INDEX=https://download.pytorch.org/whl/cpu", "TORCH_SPEC=torch")[-1] == cpu
    assert install() == []  # installed: nothing to do
    (repo / "pyproject.toml").write_text("# changed\n")
    assert install() == [cpu]  # installed again, with the torch asked for, not the default
    assert install("TORCH_SPEC=torch==2.13.0", "TORCH_INDEX=") == ["-m pip uninstall -q -y torch",
                                                                  "-m pip install -q torch==2.13.0"]
