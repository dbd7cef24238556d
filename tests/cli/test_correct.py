"""undo, redo and revert: payments, value events, edits, imports and removals reversed as logged
changes, a revert refused when a later entry changed the same thing, and `verify` passing after each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli


def entries(cli: Cli) -> list[dict[str, Any]]:
    return list(cli.json("log"))


def wide_log(cli: Cli) -> str:
    """`log` as a table wide enough that no command is folded."""
    return str(cli.ok("log", env={"COLUMNS": "400"}).stdout)


def verified(cli: Cli) -> None:
    assert "hash chain intact" in cli.ok("verify").stdout


def payments(cli: Cli, lease: str = "L0001") -> list[tuple[str, str]]:
    return [(p["date"], p["amount"]) for p in cli.json("lease", "show", lease)["payments"]]


@pytest.fixture
def leased(cli: Cli) -> Cli:
    """Entries 2-4: a member, a building worth 320,000.00 and its lease at 8,000.00 a month."""
    cli.ok("member", "add", "--name", "柳市布厂", "--district", "柳市片", "--kind", "enterprise")
    cli.ok(
        "asset", "add", "--name", "柳市布厂1号厂房", "--owner", "M001", "--category", "building",
        "--acquired", "1985-06-01", "--value", "320000",
    )  # fmt: skip
    cli.ok(
        "lease", "add", "--asset", "A0001", "--tenant", "乐清某电器有限公司", "--start", "2005-01-01",
        "--end", "2005-12-31", "--rent", "8000", "--period", "monthly", "--deposit", "16000",
    )  # fmt: skip
    assert len(entries(cli)) == 4
    return cli


def test_undo_and_redo_a_payment(leased: Cli) -> None:
    leased.ok("lease", "pay", "L0001", "--date", "2005-01-05", "--amount", "8000")  # entry 5
    leased.ok("lease", "pay", "L0001", "--date", "2005-02-05", "--amount", "80000")  # entry 6: a zero too many
    # As of 2005-03-15 three months fell due (January, February, March): 3 x 8,000 = 24,000.
    # Paid 8,000 + 80,000 = 88,000: nothing owed.
    assert leased.json("lease", "show", "L0001")["arrears"] == "0.00"
    result = leased.ok("undo", "--yes")  # entry 7
    assert "lease L0001: payments: takes out 2005-02-05 80,000.00" in result.stderr
    assert payments(leased) == [("2005-01-05", "8000.00")]
    leased.ok("redo", "--yes")
    result = leased.ok("--lang", "zh", "undo", "--yes")  # the preview in the reader's language
    assert "租赁合同 L0001：收款记录：去掉 2005-02-05 80,000.00" in result.stderr
    leased.ok("redo", "--yes")
    leased.ok("undo", "--yes")
    assert leased.json("lease", "show", "L0001")["arrears"] == "16000.00"  # 24,000 - 8,000
    verified(leased)
    log = entries(leased)
    assert log[-1]["correction"] == {"kind": "undo", "entry": 6}
    assert "(undo of entry 6)" in wide_log(leased)
    leased.ok("redo", "--yes")  # entry 8
    assert payments(leased) == [("2005-01-05", "8000.00"), ("2005-02-05", "80000.00")]
    verified(leased)
    assert "(redo of entry 6)" in wide_log(leased)
    # Undo goes one further back each time: 6 again (redone), then 5.
    leased.ok("undo", "--yes")
    leased.ok("undo", "--yes")
    assert payments(leased) == []
    assert [x["correction"]["entry"] for x in entries(leased)[-2:]] == [6, 5]
    verified(leased)
    # A new change: nothing is left to redo, and the registry is untouched by the refusal.
    leased.ok("lease", "pay", "L0001", "--date", "2005-02-05", "--amount", "8000")
    stderr = leased.refused("redo", "--yes")
    assert stderr == "error: nothing to redo: no change was undone since the last new change\n"


def test_revert_an_earlier_payment_past_a_later_one_on_the_same_lease(leased: Cli) -> None:
    leased.ok("lease", "pay", "L0001", "--date", "2005-01-05", "--amount", "8000")  # entry 5
    leased.ok("lease", "pay", "L0001", "--date", "2005-01-05", "--amount", "7000")  # entry 6: typed wrong
    leased.ok("lease", "pay", "L0001", "--date", "2005-02-05", "--amount", "8000")  # entry 7
    leased.ok("revert", "6", "--yes")  # entry 8
    assert payments(leased) == [("2005-01-05", "8000.00"), ("2005-02-05", "8000.00")]
    # 24,000 due by 2005-03-15, 16,000 paid: 8,000 owed.
    assert leased.json("lease", "show", "L0001")["arrears"] == "8000.00"
    verified(leased)
    assert entries(leased)[-1]["correction"] == {"kind": "revert", "entry": 6}
    assert "(revert of entry 6)" in wide_log(leased)
    # Reverting it again is reverting a payment that entry 8 took out: refused, naming entry 8.
    stderr = leased.refused("revert", "6", "--yes")
    assert stderr == "error: revert '6': entry 8 changed L0001 payments later; revert entry 8 first\n"
    # The revert is a change like any other: undo takes it back.
    leased.ok("undo", "--yes")  # back where it stood, in the order it was entered
    assert payments(leased) == [("2005-01-05", "8000.00"), ("2005-01-05", "7000.00"), ("2005-02-05", "8000.00")]
    verified(leased)


def test_value_event_undone_redone_and_reverted(leased: Cli) -> None:
    leased.ok("asset", "revalue", "A0001", "--date", "2004-12-31", "--value", "450000")  # entry 5
    leased.ok("asset", "impair", "A0001", "--date", "2005-01-20", "--value", "300000", "--cause", "damage")  # entry 6
    assert leased.json("asset", "show", "A0001")["value"] == "300000.00"
    leased.ok("undo", "--yes")
    assert leased.json("asset", "show", "A0001")["value"] == "450000.00"
    verified(leased)
    leased.ok("redo", "--yes")
    assert leased.json("asset", "show", "A0001")["value"] == "300000.00"
    # The revaluation is reverted past the later impairment of the same asset (another event).
    leased.ok("revert", "5", "--yes")
    kinds = [(e["kind"], e["amount"]) for e in leased.json("asset", "history", "A0001")]
    assert kinds == [("acquire", "320000.00"), ("impair", "300000.00")]
    # The loss of the impairment is now measured from 320,000.00: 20,000.00.
    history = leased.json("asset", "history", "A0001")
    assert (history[1]["before"], history[1]["after"]) == ("320000.00", "300000.00")
    verified(leased)


def test_disposal_undone_brings_back_value_and_status(leased: Cli) -> None:
    leased.ok("lease", "end", "L0001", "--date", "2005-02-28")
    before = leased.json("asset", "show", "A0001")
    leased.ok("asset", "dispose", "A0001", "--date", "2005-03-01", "--proceeds", "250000", "--method", "auction")
    assert leased.json("asset", "show", "A0001")["status"] == "disposed"
    leased.ok("undo", "--yes")
    after = leased.json("asset", "show", "A0001")
    assert (after["status"], after["status_since"], after["value"]) == (before["status"], before["status_since"], "320000.00")
    verified(leased)


def test_edit_reverted_unless_a_later_edit_changed_the_same_field(leased: Cli) -> None:
    leased.ok("member", "edit", "M001", "--name", "柳市棉布厂")  # entry 5
    leased.ok("member", "edit", "M001", "--employees", "120")  # entry 6: another field
    leased.ok("revert", "5", "--yes")  # entry 7
    member = leased.json("member", "show", "M001")
    assert (member["name"], member["employees"]) == ("柳市布厂", 120)
    verified(leased)
    leased.ok("member", "edit", "M001", "--district", "白象片")  # entry 8
    leased.ok("member", "edit", "M001", "--district", "大荆片")  # entry 9: the same field
    stderr = leased.refused("revert", "8", "--yes")
    assert stderr == "error: revert '8': entry 9 changed M001 district later; revert entry 9 first\n"
    # A record created by entry 2 cannot be reverted while later entries changed it: the last one is named.
    stderr = leased.refused("revert", "2", "--yes")
    assert stderr == "error: revert '2': entry 9 changed M001 later; revert entry 9 first\n"


def test_import_is_one_entry_undone_and_redone_whole(leased: Cli, tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text("id,name,district,kind\nM010,大荆木器厂,大荆片,企业\nM011,白象皮件厂,白象片,企业\n", encoding="utf-8")
    leased.ok("import", "members", str(path))  # entry 5
    result = leased.ok("undo", "--yes")
    assert "member M010: removed" in result.stderr and "member M011: removed" in result.stderr
    assert [m["id"] for m in leased.json("member", "list")] == ["M001"]
    verified(leased)
    leased.ok("redo", "--yes")
    assert [m["id"] for m in leased.json("member", "list")] == ["M001", "M010", "M011"]
    verified(leased)
    leased.ok(
        "asset", "add", "--name", "皮件厂厂房", "--owner", "M011", "--category", "building",
        "--acquired", "1990-01-01", "--value", "1600000",
    )  # fmt: skip
    # Entries 6 and 7 (the undo and the redo) left the members as entry 5 made them: reverting 5
    # would be allowed, but an asset of M011 added since would be left with no owner.
    stderr = leased.refused("revert", "5", "--yes")
    assert stderr == "error: entry '5': M011 is still named by A0002; nothing was changed\n"
    leased.ok("asset", "remove", "A0002", "--force")
    leased.ok("revert", "5", "--yes")
    assert [m["id"] for m in leased.json("member", "list")] == ["M001"]
    verified(leased)


def test_a_later_payment_on_an_imported_lease_blocks_reverting_the_import(leased: Cli, tmp_path: Path) -> None:
    path = tmp_path / "leases.csv"
    path.write_text(
        "id,asset,tenant,start,end,rent,period\nL0010,A0001,制鞋个体户王某,2005-01-01,2005-06-30,3000,monthly\n",
        encoding="utf-8",
    )
    leased.ok("import", "leases", str(path))  # entry 5
    leased.ok("lease", "pay", "L0010", "--date", "2005-01-10", "--amount", "3000")  # entry 6
    stderr = leased.refused("revert", "5", "--yes")
    assert stderr == "error: revert '5': entry 6 changed L0010 later; revert entry 6 first\n"


def test_removal_undone_and_reverted(leased: Cli) -> None:
    leased.ok("lease", "pay", "L0001", "--date", "2005-01-05", "--amount", "8000")
    lease = leased.json("lease", "show", "L0001")
    leased.ok("lease", "remove", "L0001", "--force")  # entry 6
    leased.refused("lease", "show", "L0001")
    result = leased.ok("undo", "--yes")
    assert "lease L0001: comes back" in result.stderr
    assert leased.json("lease", "show", "L0001") == lease
    verified(leased)
    leased.ok("redo", "--yes")  # entry 8: removed again
    leased.refused("lease", "show", "L0001")
    # Entries 7 and 8 undid and redid the removal: it stands as entry 6 made it, and is reverted.
    leased.ok("revert", "6", "--yes")  # entry 9
    assert leased.json("lease", "show", "L0001") == lease
    verified(leased)
    # Reverting 8 (the redo, the lease removed) now: entry 9 brought the lease back since.
    assert leased.refused("revert", "8", "--yes") == "error: revert '8': entry 9 changed L0001 later; revert entry 9 first\n"


def test_refusals_are_one_line_and_change_nothing(leased: Cli) -> None:
    leased.ok("lease", "pay", "L0001", "--date", "2005-01-05", "--amount", "8000")  # entry 5
    assert leased.refused("undo") == "error: entry 5 not undone: without a terminal, give --yes to undo it\n"
    assert leased.refused("revert", "5") == "error: entry 5 not reverted: without a terminal, give --yes to revert it\n"
    assert leased.refused("revert", "9", "--yes") == "error: N '9': no such entry in the log (it has 5)\n"
    assert leased.refused("revert", "1", "--yes") == "error: N '1': entry 1 made the registry; it cannot be reverted\n"
    assert leased.refused("redo", "--yes") == "error: nothing to redo: no change was undone since the last new change\n"
    for _ in range(4):  # entries 5, 4, 3, 2
        leased.ok("undo", "--yes")
    assert leased.refused("undo", "--yes") == "error: nothing to undo: every change in the log has been undone\n"
    assert leased.json("member", "list") == []
    verified(leased)


def test_confirmation_at_a_terminal_accepts_chinese(leased: Cli) -> None:
    leased.ok("lease", "pay", "L0001", "--date", "2005-01-05", "--amount", "8000")
    terminal = {"ASSETREG_INTERACTIVE": "1"}
    before = leased.registry.read_bytes()
    result = leased.run("--lang", "zh", "undo", input="否\n", env=terminal)
    # declining is no error: "Nothing changed.", exit 0 (PRODUCT.md v3)
    assert result.exit_code == 0 and leased.registry.read_bytes() == before
    assert result.stderr.endswith("没有任何改动。\n"), result.stderr
    result = leased.run("undo", input="maybe\n是\n", env=terminal)
    assert result.exit_code == 0, result.stderr
    assert "please answer" in result.stderr  # the bad answer was asked again
    assert payments(leased) == []
    verified(leased)


def test_lease_edit_is_logged_and_undone(leased: Cli) -> None:
    doc = "乐二轻〔2004〕12号"
    lease = leased.json("lease", "edit", "L0001", "--tenant", "乐清某电器公司", "--deposit", "20000", "--doc", doc)
    assert (lease["tenant"], lease["deposit"], lease["doc"]) == ("乐清某电器公司", "20000.00", "乐二轻〔2004〕12号")
    assert lease["rent"] == "8000.00"  # the terms stay
    assert "Document  乐二轻〔2004〕12号" in leased.ok("lease", "show", "L0001").stdout  # and the table shows it
    verified(leased)
    leased.ok("undo", "--yes")
    lease = leased.json("lease", "show", "L0001")
    assert (lease["tenant"], lease["deposit"], lease.get("doc")) == ("乐清某电器有限公司", "16000.00", None)
    leased.refused("lease", "edit", "L0001", "--deposit", "-5")
    verified(leased)


def test_a_reference_given_to_an_event_of_the_history(leased: Cli) -> None:
    leased.ok("asset", "impair", "A0001", "--date", "2005-01-20", "--value", "300000", "--cause", "damage")
    leased.ok("asset", "revalue", "A0001", "--date", "2004-12-31", "--value", "450000")  # dated before the impairment
    history = leased.json("asset", "history", "A0001")
    assert [(h["n"], h["kind"]) for h in history] == [(1, "acquire"), (2, "revalue"), (3, "impair")]
    leased.ok("asset", "edit", "A0001", "--event", "3", "--doc", "乐二轻〔2005〕3号", "--note", "村民损坏")
    history = leased.json("asset", "history", "A0001")
    assert (history[2]["doc"], history[2]["note"]) == ("乐二轻〔2005〕3号", "村民损坏")
    assert (history[1]["doc"], history[1]["note"]) == (None, None)
    assert "乐二轻〔2005〕3号" in leased.ok("asset", "history", "A0001").stdout
    verified(leased)
    assert leased.refused("asset", "edit", "A0001", "--event", "4", "--doc", "X").startswith(
        "error: --event '4': no such event; the asset's history has 3"
    )
    leased.refused("asset", "edit", "A0001", "--event", "1")  # no --doc
    leased.refused("asset", "edit", "A0001", "--doc", "X")  # no --event
    # Reverting the impairment now is refused: entry 7 changed that event (it is another event since).
    refusal = "error: revert '5': entry 7 changed A0001 events later; revert entry 7 first\n"
    assert leased.refused("revert", "5", "--yes") == refusal
    leased.ok("revert", "7", "--yes")
    assert leased.json("asset", "history", "A0001")[2]["doc"] is None
    leased.ok("revert", "5", "--yes")
    assert [h["kind"] for h in leased.json("asset", "history", "A0001")] == ["acquire", "revalue"]
    verified(leased)


def test_ending_a_lease_sets_the_deposit_against_arrears(leased: Cli) -> None:
    leased.ok("lease", "pay", "L0001", "--date", "2005-01-05", "--amount", "8000")
    # Ended on 2005-03-10: January, February and March fell due, 3 x 8,000 = 24,000; paid 8,000;
    # arrears 16,000, and the deposit of 16,000 covers them exactly.
    lease = leased.json("lease", "end", "L0001", "--date", "2005-03-10", "--apply-deposit")
    assert lease["payments"][-1] == {
        "date": "2005-03-10",
        "amount": "16000.00",
        "note": "deposit set against arrears",
        "deposit": True,  # known as the deposit, not a payment: it leaves the deposit held
    }
    assert lease["deposit_held"] == "0.00"
    assert lease["arrears"] == "0.00"
    verified(leased)
    leased.ok("undo", "--yes")  # the end and the deposit go together
    lease = leased.json("lease", "show", "L0001")
    assert (lease["status"], len(lease["payments"]), lease["arrears"]) == ("active", 1, "16000.00")
    leased.ok("lease", "pay", "L0001", "--date", "2005-02-05", "--amount", "8000")
    # Now 8,000 is owed on 2005-03-10: only 8,000 of the deposit is applied.
    lease = leased.json("lease", "end", "L0001", "--date", "2005-03-10", "--apply-deposit")
    assert lease["payments"][-1]["amount"] == "8000.00" and lease["arrears"] == "0.00"
    verified(leased)
