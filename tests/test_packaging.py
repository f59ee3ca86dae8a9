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
