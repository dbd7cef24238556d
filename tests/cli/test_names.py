"""Records named by id (any case, full-width) or by their exact unique name, wherever a record is referenced."""

import pytest

from tests.conftest import Cli


@pytest.fixture
def reg(liushi: Cli) -> Cli:
    # liushi: M000 the federation, M001 柳市布厂 owning A0001..A0005 柳市布厂1号厂房..5号厂房, incident I0001
    return liushi


def test_owner_by_name_or_by_id_in_any_case(reg: Cli) -> None:
    by_name = reg.json(
        "asset", "add", "--name", "仓库", "--owner", "柳市布厂", "--category", "厂房", "--acquired", "1990-01-01", "--value", "1"
    )
    by_lower = reg.json(
        "asset", "add", "--name", "仓库2", "--owner", "m001", "--category", "厂房", "--acquired", "1990-01-01", "--value", "1"
    )
    by_wide = reg.json(
        "asset",
        "add",
        "--name",
        "仓库3",
        "--owner",
        " Ｍ００１ ",
        "--category",
        "厂房",
        "--acquired",
        "1990-01-01",
        "--value",
        "1",
    )
    assert by_name["owner"] == by_lower["owner"] == by_wide["owner"] == "M001"


def test_an_ambiguous_name_is_refused_listing_the_candidates(reg: Cli) -> None:
    for owner in ("M000", "M001"):  # two members may each have a 仓库: A0006 and A0007
        reg.ok(
            "asset", "add", "--name", "仓库", "--owner", owner, "--category", "厂房", "--acquired", "1990-01-01", "--value", "1"
        )
    err = reg.refused("incident", "add", "--kind", "damage", "--asset", "仓库", "--occurred", "2005-01-01")
    assert err.count("\n") == 1 and "--asset '仓库'" in err and "A0006 仓库, A0007 仓库" in err, err


def test_an_unknown_name_is_no_such_record(reg: Cli) -> None:
    err = reg.refused(
        "asset", "add", "--name", "x", "--owner", "白象布厂", "--category", "land", "--acquired", "1990-01-01", "--value", "1"
    )
    assert "--owner '白象布厂': no such record" in err


@pytest.mark.parametrize(
    "assets",
    [
        ["--asset", "A0001、A0002"],
        ["--asset", "a0001, a0002"],
        ["--asset", "A0001 A0002"],
        ["--asset", "柳市布厂1号厂房", "--asset", "柳市布厂2号厂房"],
        ["--asset", "柳市布厂1号厂房、A0002，A0001"],
    ],
)
def test_incident_assets_several_in_one_value_by_id_or_name(reg: Cli, assets: list[str]) -> None:
    incident = reg.json("incident", "add", "--kind", "occupation", *assets, "--occurred", "2005-01-01")
    assert incident["assets"] == ["A0001", "A0002"]


def test_a_name_with_a_space_is_one_record(reg: Cli) -> None:
    reg.ok(
        "asset",
        "add",
        "--name",
        "Shed No 9",
        "--owner",
        "M001",
        "--category",
        "other",
        "--acquired",
        "1990-01-01",
        "--value",
        "1",
    )
    assert reg.json("incident", "add", "--kind", "damage", "--asset", "Shed No 9", "--occurred", "2005-01-01")["assets"] == [
        "A0006"
    ]


def test_positional_ids_and_names(reg: Cli) -> None:
    reg.ok(
        "lease",
        "add",
        "--asset",
        "柳市布厂2号厂房",
        "--tenant",
        "乐清某电器有限公司",
        "--start",
        "2004-01-01",
        "--end",
        "2005-12-31",
        "--rent",
        "8000",
        "--period",
        "monthly",
    )
    lease = reg.json("lease", "pay", "乐清某电器有限公司", "--date", "2004-01-05", "--amount", "8000")
    assert lease["id"] == "L0001" and lease["asset"] == "A0002" and lease["payments"][0]["amount"] == "8000.00"
    assert reg.json("asset", "show", "a0003")["id"] == "A0003"
    assert reg.json("asset", "show", "柳市布厂4号厂房")["id"] == "A0004"
    reg.ok(
        "asset",
        "impair",
        "柳市布厂1号厂房",
        "--date",
        "2004-12-31",
        "--value",
        "120000",
        "--cause",
        "damage",
        "--incident",
        "i0001",
    )
    assert reg.json("asset", "show", "A0001")["history"][-1]["incident"] == "I0001"


def test_flags_and_reports_take_a_member_name(reg: Cli) -> None:
    by_name = reg.json("flags", "--member", "柳市布厂")
    assert by_name == reg.json("flags", "--member", "M001") and by_name
    by_name, by_id = (reg.json("report", "register", "--member", m) for m in ("柳市布厂", "m001"))
    assert {**by_name, "made": None} == {**by_id, "made": None}  # the same report, made a second apart
