"""Duplicates refused (a member's name, a held asset's title number in its category, a payment without --again),
and an asset is not disposed of while its lease runs on."""

import csv
import io
from pathlib import Path

from tests.conftest import Cli

LEASE = ["lease", "add", "--asset", "A0002", "--tenant", "某公司", "--start", "2004-01-01", "--end", "2005-12-31"]
ASSET = ["asset", "add", "--owner", "M001", "--acquired", "1990-01-01", "--value", "1"]


def test_a_second_member_of_the_same_name_is_refused(liushi: Cli) -> None:
    err = liushi.refused("member", "add", "--name", "柳市布厂", "--district", "柳市片", "--kind", "enterprise")
    assert err.count("\n") == 1 and "--name '柳市布厂'" in err and "M001" in err
    liushi.ok("member", "add", "--name", "白象布厂", "--district", "白象片", "--kind", "enterprise")  # M002
    assert "M001" in liushi.refused("member", "edit", "M002", "--name", "柳市布厂")


def test_title_number_once_per_category_among_held_assets(liushi: Cli) -> None:
    # A0001 is a building with title 乐房字第01号
    err = liushi.refused(*ASSET, "--name", "重复厂房", "--category", "building", "--title-no", "乐房字第01号")
    assert err.count("\n") == 1 and "--title-no '乐房字第01号'" in err and "A0001 柳市布厂1号厂房" in err
    liushi.ok(*ASSET, "--name", "1号厂房土地", "--category", "land", "--title-no", "乐房字第01号")  # its land: A0006
    liushi.ok("asset", "dispose", "A0003", "--date", "2005-01-01", "--proceeds", "1", "--method", "sale")
    liushi.ok(*ASSET, "--name", "新3号厂房", "--category", "building", "--title-no", "乐房字第03号")  # A0003 is gone
    assert "A0002" in liushi.refused("asset", "edit", "A0004", "--title-no", "乐房字第02号")


def test_the_same_payment_twice_needs_again_and_export_import_keep_it(liushi: Cli, tmp_path: Path) -> None:
    liushi.ok(*LEASE, "--rent", "1000", "--period", "monthly")
    liushi.ok("lease", "pay", "L0001", "--date", "2004-01-05", "--amount", "1000")
    err = liushi.refused("lease", "pay", "L0001", "--date", "2004/1/5", "--amount", "1,000.00")
    assert err.count("\n") == 1 and "--again" in err and "2004-01-05" in err
    liushi.ok("lease", "pay", "L0001", "--date", "2004-01-05", "--amount", "1000", "--again")
    liushi.ok("lease", "pay", "L0001", "--date", "2004-01-06", "--amount", "1000")  # another day is another payment
    payments = liushi.json("lease", "show", "L0001")["payments"]
    assert [(p["date"], p["amount"], p.get("again")) for p in payments] == [
        ("2004-01-05", "1000.00", None),
        ("2004-01-05", "1000.00", True),
        ("2004-01-06", "1000.00", None),
    ]
    out = tmp_path / "out"
    liushi.ok("export", "csv", "--output", str(out))
    rows = list(csv.DictReader(io.StringIO((out / "payments.csv").read_text(encoding="utf-8-sig"))))
    assert [r["again"] for r in rows] == ["", "True", ""]
    fresh = Cli(tmp_path / "fresh.json")
    fresh.ok("init", "--name", "x")
    for kind in ("members", "assets", "incidents", "values", "leases", "payments"):
        fresh.ok("import", kind, str(out / f"{kind}.csv"))
    assert fresh.json("lease", "show", "L0001")["payments"] == payments


def test_dispose_with_a_running_lease(liushi: Cli) -> None:
    liushi.ok(*LEASE, "--rent", "1000", "--period", "monthly")
    err = liushi.refused("asset", "dispose", "A0002", "--date", "2005-01-31", "--proceeds", "100000", "--method", "sale")
    assert err.count("\n") == 1 and "L0001" in err and "--end-leases" in err
    liushi.ok("asset", "dispose", "A0002", "--date", "2005-01-31", "--proceeds", "100000", "--method", "sale", "--end-leases")
    lease = liushi.json("lease", "show", "L0001", "--as-of", "2005-03-15")
    assert (lease["status"], lease["ended_on"]) == ("ended", "2005-01-31")
    # dues 2004-01-01 … 2005-01-01: 13 months × 1000 = 13000, nothing paid; none fall due after the end
    assert lease["arrears"] == "13000.00"
    assert liushi.json("asset", "show", "A0002")["status"] == "disposed"
