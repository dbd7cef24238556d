import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assetreg.core import records
from assetreg.core.errors import BrokenRegistry, Conflict
from assetreg.core.registry import KINDS
from assetreg.store import RegistryStorage, create_registry, open_registry, os_user


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "r.json"
    create_registry(p, "test", "init")
    return p


def test_money_is_stored_as_decimal_strings_never_floats(path: Path) -> None:
    with open_registry(path, "add") as s:
        m = records.add_member(s.registry, {"name": "布厂", "district": "柳市片", "kind": "enterprise"})
        records.add_asset(
            s.registry,
            {
                "name": "厂房",
                "owner": m["id"],
                "category": "building",
                "acquired": "2000-01-01",
                "value": "1250000.5",
                "area": "1200.25",
            },
        )
    data = json.loads(path.read_text(encoding="utf-8"), parse_float=lambda s: pytest.fail(f"float {s} stored"))
    event = data["assets"]["A0001"]["events"][0]
    assert event["amount"] == "1250000.50" and data["assets"]["A0001"]["area"] == "1200.25"
    assert data["meta"]["meta"]["schema"] == 1


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b'{"meta": {"meta": {"schema": 1}}, "members": {', "not valid JSON"),
        (b"\x00\x01garbage", "not valid JSON"),
        (b"[1, 2]", "not an assetreg registry"),
        (b'{"meta": {"meta": {"schema": 99}}}', "newer assetreg"),
    ],
)
def test_broken_files_are_refused_and_left_untouched(tmp_path: Path, content: bytes, why: str) -> None:
    p = tmp_path / "broken.json"
    p.write_bytes(content)
    with pytest.raises(BrokenRegistry) as err, open_registry(p, "x"):
        pass
    assert why in err.value.reason
    assert p.read_bytes() == content
    assert not list(tmp_path.glob(".broken.json.tmp*"))


def test_init_never_overwrites(path: Path) -> None:
    before = path.read_bytes()
    with pytest.raises(Conflict):
        create_registry(path, "again", "init")
    assert path.read_bytes() == before


def test_read_once_and_write_once_per_command(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads, writes = [], []
    real_read = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or real_read(self))
    import assetreg.store.session as session

    real_atomic = session.atomic_write
    monkeypatch.setattr(session, "atomic_write", lambda p, d: writes.append(p) or real_atomic(p, d))
    with open_registry(path, "add") as s:
        m = records.add_member(s.registry, {"name": "甲", "district": "片", "kind": "enterprise"})
        for n in range(20):
            records.add_asset(
                s.registry, {"name": f"厂房{n}", "owner": m["id"], "category": "building", "acquired": "2000-01-01", "value": "1"}
            )
    assert reads.count(path) == 1
    assert writes == [path]


def test_a_failed_command_writes_nothing(path: Path) -> None:
    before = path.read_bytes()
    with pytest.raises(RuntimeError), open_registry(path, "add") as s:
        records.add_member(s.registry, {"name": "甲", "district": "片", "kind": "enterprise"})
        raise RuntimeError("boom")
    assert path.read_bytes() == before


def test_atomic_write_replaces_the_file_and_leaves_no_temp(path: Path) -> None:
    inode = os.stat(path).st_ino
    with open_registry(path, "add") as s:
        records.add_member(s.registry, {"name": "甲", "district": "片", "kind": "enterprise"})
    assert os.stat(path).st_ino != inode  # replaced, not rewritten in place
    assert not list(path.parent.glob(f".{path.name}.tmp*"))


def test_lock_timeout_is_a_clear_refusal_naming_the_holder(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assetreg.store import locked

    monkeypatch.setenv("ASSETREG_LOCK_TIMEOUT", "0.2")
    with locked(path, "assetreg asset add --name 甲"), pytest.raises(Conflict) as err, open_registry(path, "x"):
        pass
    assert err.value.reason == "is in use by {holder}; try again"
    assert err.value.params["holder"] == f"pid {os.getpid()} (user {os_user()}): assetreg asset add --name 甲"
    with open_registry(path, "x", write=False) as s:  # a reader does not wait
        assert s.meta["log_seq"] == 1


def test_storage_reads_lazily_once(path: Path) -> None:
    storage = RegistryStorage(path)
    first = storage.read()
    assert storage.read() is first


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tables parsed from the file from now on."""
    import assetreg.store as store

    parsed: list[str] = []
    real = store.Tables._parse
    monkeypatch.setattr(store.Tables, "_parse", lambda self, kind, *span: parsed.append(kind) or real(self, kind, *span))
    return parsed


def _asset(owner: str, name: str, **extra: str) -> dict[str, str]:
    return {"name": name, "owner": owner, "category": "building", "acquired": "2000-01-01", "value": "1", **extra}


def test_adding_records_parses_none_of_the_table_and_keeps_its_lines(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_registry(path, "setup") as s:  # the assets table is empty in the file: appended to as well
        m = records.add_member(s.registry, {"name": "甲", "district": "片", "kind": "enterprise"})
        for n in range(3):
            records.add_asset(s.registry, _asset(m["id"], f"厂房{n}"))
    old_lines = [line.rstrip(b",") for line in path.read_bytes().split(b"\n") if line.startswith(b'"A000')]
    parsed = _parses(monkeypatch)
    with open_registry(path, "add") as s:
        added = records.add_asset(s.registry, _asset(m["id"], "新厂房"))
        records.add_asset(s.registry, _asset(m["id"], "自编号", id="X-1"))
        with pytest.raises(Conflict):
            records.add_asset(s.registry, _asset(m["id"], "重号", id="A0002"))
        assert s.registry.get("assets", "X-1")["name"] == "自编号"
    assert "assets" not in parsed
    assert added["id"] == "A0004"
    raw = path.read_bytes()
    assert len(old_lines) == 3 and all(line + b",\n" in raw for line in old_lines)  # written back as they were
    data = json.loads(raw)
    assert list(data["assets"]) == ["A0001", "A0002", "A0003", "A0004", "X-1"]
    assert data["assets"]["X-1"]["events"][0]["amount"] == "1.00"


def test_a_table_loaded_after_an_addition_holds_the_added_record(path: Path) -> None:
    with open_registry(path, "setup") as s:
        m = records.add_member(s.registry, {"name": "甲", "district": "片", "kind": "enterprise"})
        records.add_asset(s.registry, _asset(m["id"], "厂房"))
    with open_registry(path, "add") as s:
        records.add_asset(s.registry, _asset(m["id"], "新厂房"))
        assert [a["name"] for a in s.registry.assets.values()] == ["厂房", "新厂房"]  # loads the table now
        records.add_asset(s.registry, _asset(m["id"], "又一座"))
    with open_registry(path, "read", write=False) as s:
        assert [a["id"] for a in s.registry.assets.values()] == ["A0001", "A0002", "A0003"]


def test_a_damaged_id_is_refused_even_when_only_the_ids_are_read(path: Path) -> None:
    with open_registry(path, "setup") as s:
        m = records.add_member(s.registry, {"name": "甲", "district": "片", "kind": "enterprise"})
        records.add_asset(s.registry, _asset(m["id"], "厂房"))
    path.write_bytes(path.read_bytes().replace(b'"A0001":', b'"A\\u00301":'))
    before = path.read_bytes()
    with pytest.raises(BrokenRegistry) as err, open_registry(path, "add") as s:
        records.add_asset(s.registry, _asset(m["id"], "新厂房"))
    line = before.split(b"\n").index(next(x for x in before.split(b"\n") if x.startswith(b'"A\\u00301":'))) + 1
    assert f"damaged record in assets at line {line};" in str(err.value.reason).format(**err.value.params)
    assert path.read_bytes() == before


def _small_registry(path: Path) -> None:
    with open_registry(path, "setup") as s:
        m = records.add_member(s.registry, {"name": "甲", "district": "片", "kind": "enterprise"})
        for n in range(3):
            records.add_asset(s.registry, _asset(m["id"], f"厂房{n}"))


@pytest.mark.parametrize("order", [KINDS, tuple(reversed(KINDS)), ("assets", "members", "meta", "settings")])
def test_tables_read_in_any_order_are_the_file_s_tables(path: Path, order: tuple[str, ...]) -> None:
    """The store lets go of the bytes of parsed tables as it goes; what is left must still read right."""
    from assetreg.store import load_tables

    _small_registry(path)
    raw = path.read_bytes()
    expected = json.loads(raw)
    tables = load_tables(path, raw, keep_lines=False)
    for kind in order:
        assert tables[kind] == expected[kind], kind


def test_a_damaged_record_is_named_by_its_line(path: Path) -> None:
    _small_registry(path)
    lines = path.read_bytes().split(b"\n")
    third = next(n for n, line in enumerate(lines) if line.startswith(b'"A0003"'))
    lines[third] = lines[third][:40]  # cut short, as by a bad copy
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(BrokenRegistry) as err, open_registry(path, "read", write=False) as s:
        len(s.registry.assets)
    assert (
        str(err.value.reason).format(**err.value.params)
        == f"has a damaged record in assets at line {third + 1}; restore a backup"
    )


@pytest.mark.parametrize("piece", [1, 300, 1 << 20])
def test_a_table_parsed_in_pieces_is_the_whole_table(path: Path, monkeypatch: pytest.MonkeyPatch, piece: int) -> None:
    import assetreg.store.layout as layout

    _small_registry(path)
    monkeypatch.setattr(layout, "PARSE_PIECE", piece)
    raw = path.read_bytes()
    tables = layout.load_tables(path, raw)
    assert tables["assets"] == json.loads(raw)["assets"] and len(tables["assets"]) == 3


SESSION = st.lists(st.sampled_from(["add", "add with id", "read", "rename", "remove last"]), max_size=6)


@settings(max_examples=40, deadline=None)
@given(sessions=st.lists(SESSION, min_size=1, max_size=5))
def test_commands_mixing_appends_and_parses_keep_the_file_and_the_log_true(tmp_path_factory, sessions) -> None:
    """Whether a command appends to a table it never parsed or parses it first, the file holds exactly the
    records a model expects, in order, and the log replays to them."""
    from datetime import date

    from assetreg.cli.admin import journal_entries
    from assetreg.core.journal import Replay

    path = tmp_path_factory.mktemp("mix") / "r.json"
    create_registry(path, "test", "init")
    with open_registry(path, "setup") as s:
        owner = records.add_member(s.registry, {"name": "甲", "district": "片", "kind": "enterprise"})["id"]
    model: dict[str, str] = {}
    for number, steps in enumerate(sessions):
        with open_registry(path, f"session {number}") as s:
            for step, action in enumerate(steps):
                name = f"厂房{number}-{step}"
                if action == "add":
                    model[records.add_asset(s.registry, _asset(owner, name))["id"]] = name
                elif action == "add with id":
                    model[records.add_asset(s.registry, _asset(owner, name, id=f"X{number}-{step}"))["id"]] = name
                elif action == "read":
                    assert {k: a["name"] for k, a in s.registry.assets.items()} == model
                elif model and action == "rename":
                    target = next(iter(model))
                    records.edit_asset(s.registry, target, {"name": name}, date(2005, 1, 1))
                    model[target] = name
                elif model and action == "remove last":
                    records.remove(s.registry, "assets", next(reversed(model)), force=True)
                    model.popitem()
        stored = json.loads(path.read_bytes())["assets"]
        assert {k: a["name"] for k, a in stored.items()} == model
    log = Replay()
    for entry in journal_entries(path):
        log.add(entry)
    assert not log.problems and log.differences("assets", json.loads(path.read_bytes())["assets"]) == []


def test_a_registry_is_freed_without_the_cycle_collector(path: Path) -> None:
    """Commands run with the cyclic GC off (assetreg.cli.main.run): a session must hold no reference
    cycle, or a province's records would stay in memory for the rest of the command."""
    import gc
    import weakref

    _small_registry(path)
    gc.disable()
    try:
        with open_registry(path, "read", write=False) as s:
            registry, storage = weakref.ref(s.registry), weakref.ref(s.storage)
            records.add_asset(s.registry, _asset("M001", "新"))  # kept aside: the table is not loaded yet
            assert len(s.registry.assets) == 4  # loaded now, with it
        del s
        assert registry() is None and storage() is None
    finally:
        gc.enable()
