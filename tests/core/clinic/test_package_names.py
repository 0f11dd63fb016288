"""`clinic.<name>` (SPEC §6) for every name the package offers, though only the patients'
module loads with it (the rest when first asked for: a start of the app needs none)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from r3izzy_desktop.core import clinic


def test_every_name_the_package_offers_is_there():
    for name in clinic.__all__:
        assert getattr(clinic, name) is not None, name
    from r3izzy_desktop.core.clinic import SetupStep, add_service, package_defaults

    assert (add_service, package_defaults, SetupStep) == (
        clinic.add_service,
        clinic.package_defaults,
        clinic.SetupStep,
    )
    assert sorted(dir(clinic)) == sorted(clinic.__all__)
    assert clinic.settings.package_defaults is clinic.package_defaults  # the module itself


def test_every_name_loaded_later_is_offered_and_found_in_its_module():
    import importlib

    for module, names in clinic._LAZY_MODULES.items():
        found = vars(importlib.import_module(f"r3izzy_desktop.core.clinic.{module}"))
        assert set(names) <= set(clinic.__all__) and all(n in found for n in names), module


def test_a_name_it_does_not_have_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'add_pacient'"):
        clinic.add_pacient  # noqa: B018


def test_importing_the_package_loads_only_the_patients_module():
    code = (
        "import sys\n"
        "from r3izzy_desktop.core import clinic\n"
        "print(sorted(m for m in sys.modules if m.startswith('r3izzy_desktop.core.clinic.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "['r3izzy_desktop.core.clinic.patients']"
