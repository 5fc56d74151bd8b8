"""The campaigns part's entries in the shared registries (menu entries…); imported by ``hooks``."""
