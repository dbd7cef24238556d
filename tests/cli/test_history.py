"""Transfers, intra-federation stakes and dated statuses through the command line."""

from __future__ import annotations

from tests.conftest import Cli


def test_transfer_changes_the_owner_from_its_day(liushi: Cli) -> None:
    shown = liushi.json("asset", "transfer", "A0001", "--to", "M000", "--date", "2004-06-30", "--doc", "乐二轻〔2004〕9号")
    assert shown["owner"] == "M000"
    assert shown["transfers"] == [{"date": "2004-06-30", "from": "M001", "to": "M000", "doc": "乐二轻〔2004〕9号", "note": None}]
    # the day before it, the cloth factory still held it
    assert liushi.json("asset", "show", "A0001", "--as-of", "2004-06-29")["owner"] == "M001"
    assert liushi.json("asset", "show", "A0001", "--as-of", "2004-06-30")["owner"] == "M000"


def test_bad_transfers_are_one_line_and_change_nothing(liushi: Cli) -> None:
    err = liushi.refused("asset", "transfer", "A0001", "--to", "M001", "--date", "2004-06-30")
    assert "--to" in err and "M001" in err and len(err.strip().splitlines()) == 1
    err = liushi.refused("asset", "transfer", "A0001", "--to", "M000", "--date", "1985-05-31")
    assert "--date" in err and "1985-05-31" in err
    err = liushi.refused("asset", "transfer", "A0001", "--to", "M099", "--date", "2004-06-30")
    assert "--to" in err and "M099" in err
    assert "--to" in liushi.refused("asset", "transfer", "A0001", "--date", "2004-06-30")


def test_holds_names_the_member_an_equity_stake_is_in(liushi: Cli) -> None:
    stake = liushi.json(
        "asset", "add", "--name", "营运公司股权", "--owner", "M000", "--category", "equity",
        "--acquired", "2004-03-01", "--value", "1000000", "--source", "injection", "--holds", "M001",
    )  # fmt: skip
    assert stake["holds"] == "M001"
    err = liushi.refused(
        "asset", "add", "--name", "厂房", "--owner", "M000", "--category", "building",
        "--acquired", "2004-03-01", "--value", "1000", "--holds", "M001",
    )  # fmt: skip
    assert "--holds" in err and "M001" in err
    err = liushi.refused(
        "asset", "add", "--name", "自持股", "--owner", "M001", "--category", "equity",
        "--acquired", "2004-03-01", "--value", "1000", "--holds", "M001",
    )  # fmt: skip
    assert "--holds" in err
    # a member that a stake is in cannot be removed
    liushi.ok("member", "add", "--name", "资产营运公司", "--district", "市区", "--kind", "company")
    liushi.ok("asset", "edit", "A0006", "--holds", "M002")
    assert "A0006" in liushi.refused("member", "remove", "M002", "--force")


def test_status_edit_is_dated(liushi: Cli) -> None:
    liushi.ok("asset", "edit", "A0002", "--status", "idle", "--status-since", "2003-05-01")
    assert liushi.json("asset", "show", "A0002", "--as-of", "2003-04-30")["status"] == "in_use"
    assert liushi.json("asset", "show", "A0002", "--as-of", "2003-05-01")["status"] == "idle"
    # the damage of 2004-12-20 shows from that day on
    assert liushi.json("asset", "show", "A0002", "--as-of", "2004-12-19")["status"] == "idle"
    assert liushi.json("asset", "show", "A0002", "--as-of", "2004-12-20")["status"] == "damaged"
    # --status-since alone re-dates the status in force: a correction
    liushi.ok("asset", "edit", "A0002", "--status-since", "2003-04-30")
    assert liushi.json("asset", "show", "A0002", "--as-of", "2003-04-29")["status"] == "in_use"
    assert liushi.json("asset", "show", "A0002", "--as-of", "2003-04-30")["status"] == "idle"
    err = liushi.refused("asset", "edit", "A0002", "--status-since", "1985-05-31")  # acquired 1985-06-01
    assert "--status-since" in err and "1985-05-31" in err
