"""The generic registry: keyed, ordered, refuses a key twice, restores after a temporary entry."""

from dataclasses import dataclass

import pytest

from cchc.common.registry import DuplicateEntry, Registry, RegistryError, UnknownEntry


@dataclass(frozen=True)
class Entry:
    key: str
    order: int = 0


def test_iterates_by_order_then_registration():
    registry = Registry("test")
    for entry in (Entry("c", 20), Entry("a", 10), Entry("b", 10), Entry("z")):
        registry.register(entry)
    assert registry.keys() == ["z", "a", "b", "c"]
    assert len(registry) == 4 and "a" in registry and registry["b"] == Entry("b", 10)


def test_refuses_a_key_twice_with_a_clear_error():
    registry = Registry("menu")
    registry.register(Entry("home"))
    with pytest.raises(DuplicateEntry, match="menu: 'home' is registered already"):
        registry.register(Entry("home", 5))
    assert registry["home"] == Entry("home")


def test_unknown_key_names_the_registry_and_what_is_there():
    registry = Registry("tiles")
    registry.register(Entry("a"))
    with pytest.raises(
        UnknownEntry, match="tiles: nothing registered under 'x' \\(registered: a\\)"
    ):
        registry["x"]
    assert registry.get("x") is None
    with pytest.raises(UnknownEntry):
        registry.unregister("x")


def test_an_entry_needs_a_key():
    with pytest.raises(RegistryError):
        Registry("test").register(Entry(""))


def test_register_as_decorator_with_and_without_attributes():
    registry = Registry("builders")

    @registry.register(key="late", order=2)
    def late():
        return "late"

    @registry.register
    @dataclass
    class Early:
        key: str = "early"
        order: int = 1

    assert registry.keys() == ["early", "late"]
    assert registry["late"]() == "late"
    with pytest.raises(TypeError):
        registry.register(Entry("x"), order=1)


def test_temporarily_registers_and_restores():
    registry = Registry("test")
    registry.register(Entry("kept", 5))
    with registry.temporarily(Entry("fake", 1)):
        assert registry.keys() == ["fake", "kept"]
        registry.unregister("kept")
    assert registry.keys() == ["kept"]
    with pytest.raises(DuplicateEntry), registry.temporarily(Entry("new"), Entry("kept")):
        pass
    assert registry.keys() == ["kept"]
