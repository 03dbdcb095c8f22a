"""The collector pause: objects built during it are frozen only in the `toc` process."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from toc_engine import gcpause
from toc_engine.gcpause import freeze_after_loading, gc_paused


@pytest.fixture
def restore_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    freeze_after_loading(False)
    gc.unfreeze()
    if enabled:
        gc.enable()


def test_pause_restores_collection_and_nests(restore_gc: None) -> None:
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # only the outermost pause re-enables
    assert gc.isenabled()


def test_library_callers_keep_normal_collection(restore_gc: None) -> None:
    gc.enable()
    gc.unfreeze()
    with gc_paused():
        kept = [[i] for i in range(1000)]
    assert gc.get_freeze_count() == 0
    assert kept


def test_the_process_freezes_what_a_pause_built(restore_gc: None) -> None:
    gc.enable()
    gc.unfreeze()
    freeze_after_loading()
    with gc_paused():
        kept = [[i] for i in range(1000)]
    assert gc.get_freeze_count() >= 1000  # the lists moved out of the collector's sight
    assert gc.isenabled()
    assert kept


def test_only_the_process_entry_point_turns_freezing_on(monkeypatch: pytest.MonkeyPatch,
                                                        restore_gc: None) -> None:
    from toc_engine import cli

    monkeypatch.setattr(cli.sys, "argv", ["toc", "rules"])
    with pytest.raises(SystemExit):
        cli.main()  # a caller inside a longer-lived process
    assert not gcpause._FREEZE["enabled"]
    with pytest.raises(SystemExit):
        cli.entry()  # the `toc` command
    assert gcpause._FREEZE["enabled"]
