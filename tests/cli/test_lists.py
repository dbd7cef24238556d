"""`list --search` and the totals line under every list; `--version`."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tests.conftest import Cli

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def federation(liushi: Cli) -> Cli:
    """liushi (M001's five buildings A0001-A0005, 320,000 and 1,200 m² each) plus the federation's
    office A0006, its stake in the Liushi cloth factory A0007 and its warehouse A0008, let twice."""
    cli = liushi
    common = ("--owner", "M000", "--category")
    cli.ok("asset", "add", "--name", "联社办公楼", *common, "building", "--acquired", "1988-05-01", "--value", "1800000",
           "--area", "2400", "--location", "乐清市城东街道", "--title-no", "乐房权证字第880101号")  # fmt: skip
    cli.ok("asset", "add", "--name", "柳市布厂股权", *common, "equity", "--acquired", "2004-03-01", "--value", "500000",
           "--holds", "M001", "--note", "改制时联社持股")  # fmt: skip
    cli.ok("asset", "add", "--name", "联社综合仓库", *common, "building", "--acquired", "1992-03-01", "--value", "650000",
           "--area", "1800", "--note", "Warehouse B")  # fmt: skip
    cli.ok("lease", "add", "--asset", "A0008", "--tenant", "乐清某电器有限公司", "--start", "2004-01-01", "--end", "2005-12-31",
           "--rent", "8000", "--period", "monthly")  # fmt: skip
    cli.ok("lease", "pay", "L0001", "--date", "2004-01-05", "--amount", "8000")
    cli.ok("lease", "add", "--asset", "A0006", "--tenant", "柳市某鞋厂", "--start", "2004-07-01", "--end", "2006-06-30",
           "--rent", "15000", "--period", "quarterly")  # fmt: skip
    return cli


def last_line(cli: Cli, *args: str) -> str:
    return str(cli.ok(*args).stdout).rstrip("\n").splitlines()[-1]


def test_asset_totals_leave_intra_federation_equity_out_when_several_members_are_listed(federation: Cli) -> None:
    # 8 assets; area 5 x 1,200 + 2,400 + 1,800 = 10,200 m²;
    # value 5 x 320,000 + 1,800,000 + 500,000 + 650,000 = 4,550,000, less the stake 500,000 = 4,050,000
    assert last_line(federation, "asset", "list") == (
        "Total: count 8, area 10,200 m², value 4,050,000.00 yuan; left out of the value: intra-federation equity 500,000.00 yuan"
    )
    # one member's own list keeps its stake: 1,800,000 + 500,000 + 650,000 = 2,950,000; 2,400 + 1,800 = 4,200 m²
    assert last_line(federation, "asset", "list", "--owner", "M000") == "Total: count 3, area 4,200 m², value 2,950,000.00 yuan"


def test_search_matches_name_location_title_and_note_case_ignored(federation: Cli) -> None:
    # 柳市 is in the names of A0001-A0005 (M001) and of the stake A0007 (M000): two members, so the
    # stake is left out: 5 x 320,000 = 1,600,000 counted, 500,000 left out; area 5 x 1,200 = 6,000
    found = federation.json("asset", "list", "--search", "柳市")
    assert [a["id"] for a in found] == ["A0001", "A0002", "A0003", "A0004", "A0005", "A0007"]
    assert last_line(federation, "asset", "list", "--search", "柳市") == (
        "Total: count 6, area 6,000 m², value 1,600,000.00 yuan; left out of the value: intra-federation equity 500,000.00 yuan"
    )
    assert [a["id"] for a in federation.json("asset", "list", "--search", "城东")] == ["A0006"]  # location
    assert [a["id"] for a in federation.json("asset", "list", "--search", "880101")] == ["A0006"]  # title number
    assert [a["id"] for a in federation.json("asset", "list", "--search", "持股")] == ["A0007"]  # note
    assert [a["id"] for a in federation.json("asset", "list", "--search", "WAREHOUSE b")] == ["A0008"]  # case ignored
    assert last_line(federation, "asset", "list", "--search", "no such text") == "Total: count 0, area 0 m², value 0.00 yuan"


def test_member_totals(federation: Cli) -> None:
    # M000: 1,800,000 + 500,000 + 650,000 = 2,950,000 (3 assets); M001: 5 x 320,000 = 1,600,000 (5 assets);
    # 4,550,000 less M000's stake in M001, 500,000 = 4,050,000
    assert last_line(federation, "member", "list") == (
        "Total: count 2, assets 8, value 4,050,000.00 yuan; left out of the value: intra-federation equity 500,000.00 yuan"
    )
    assert last_line(federation, "member", "list", "--search", "布厂") == "Total: count 1, assets 5, value 1,600,000.00 yuan"
    assert [m["id"] for m in federation.json("member", "list", "--search", "布厂")] == ["M001"]


def test_lease_totals_of_rent_per_year_and_arrears(federation: Cli) -> None:
    # rent per year: 8,000 x 12 + 15,000 x 4 = 96,000 + 60,000 = 156,000
    # arrears on 2005-03-15: L0001 monthly from 2004-01-01, 15 dues (2004-01 .. 2005-03) = 120,000 less 8,000 paid
    # = 112,000; L0002 quarterly from 2004-07-01, dues 2004-07-01, 2004-10-01, 2005-01-01 = 45,000; 157,000 in all
    assert last_line(federation, "lease", "list") == "Total: count 2, rent per year 156,000.00 yuan, arrears 157,000.00 yuan"
    assert last_line(federation, "lease", "list", "--search", "鞋厂") == (
        "Total: count 1, rent per year 60,000.00 yuan, arrears 45,000.00 yuan"
    )
    assert [x["id"] for x in federation.json("lease", "list", "--search", "电器")] == ["L0001"]


def test_incident_search_by_counterparty_and_totals(federation: Cli) -> None:
    assert last_line(federation, "incident", "list", "--search", "上峰村") == "Total: count 1"
    assert last_line(federation, "incident", "list", "--search", "下峰村") == "Total: count 0"


def test_totals_line_in_chinese(federation: Cli) -> None:
    assert last_line(federation, "--lang", "zh", "asset", "list") == (
        "合计：共 8 条，面积 10,200 平方米，价值 4,050,000.00 元；价值合计未计入联社内部股权 500,000.00 元"
    )
    assert last_line(federation, "--lang", "zh", "lease", "list") == "合计：共 2 条，年租金 156,000.00 元，欠租 157,000.00 元"


def test_json_stays_a_bare_list_of_the_searched_rows(federation: Cli) -> None:
    out = federation.ok("lease", "list", "--search", "鞋厂", "--json").stdout
    assert [x["id"] for x in json.loads(out)] == ["L0002"]  # nothing but the list on stdout


def test_an_empty_search_is_refused(federation: Cli) -> None:
    assert "--search" in federation.refused("asset", "list", "--search", " ")


def test_version_comes_from_the_package_metadata(cli: Cli) -> None:
    expected = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    result = cli.ok("--version")
    assert result.stdout == f"assetreg {expected}\n"
