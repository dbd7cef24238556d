import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from assetreg.cli.main import app
from tests.conftest import Cli


def test_add_json_prints_the_new_record_only(cli: Cli) -> None:
    cli.ok("member", "add", "--name", "柳市布厂", "--district", "柳市片", "--kind", "企业")
    asset = cli.json(
        "asset",
        "add",
        "--name",
        "1号厂房",
        "--owner",
        "M001",
        "--category",
        "厂房",
        "--acquired",
        "1985-06-01",
        "--value",
        "1250000.50",
        "--area",
        "1200",
    )
    assert asset["id"] == "A0001" and asset["category"] == "building" and asset["value"] == "1250000.50"
    assert asset["history"][0] == {
        "n": 1,
        "date": "1985-06-01",
        "kind": "acquire",
        "amount": "1250000.50",
        "source": "purchase",
        "doc": None,
        "note": None,
        "before": None,
        "after": "1250000.50",
    }


def test_list_filters_and_json(liushi: Cli) -> None:
    liushi.ok("member", "add", "--name", "大荆木器厂", "--district", "大荆片", "--kind", "enterprise")
    liushi.ok(
        "asset",
        "add",
        "--name",
        "木器厂土地",
        "--owner",
        "M002",
        "--category",
        "land",
        "--acquired",
        "1990-01-01",
        "--value",
        "88000.08",
    )
    assert [a["id"] for a in liushi.json("asset", "list", "--owner", "M002")] == ["A0006"]
    assert [a["id"] for a in liushi.json("asset", "list", "--category", "土地")] == ["A0006"]
    assert len(liushi.json("asset", "list", "--category", "building")) == 5
    assert [m["id"] for m in liushi.json("member", "list", "--district", "大荆片")] == ["M002"]
    members = {m["id"]: m for m in liushi.json("member", "list")}
    assert members["M001"]["value"] == "1600000.00"  # five buildings of 320,000.00
    liushi.ok("asset", "edit", "A0002", "--status", "idle", "--status-since", "2004-01-01")
    # the open damage of 2004-12-20 names all five buildings: damaged today, idle before it
    assert liushi.json("asset", "list", "--status", "闲置") == []
    assert len(liushi.json("asset", "list", "--status", "损坏")) == 5
    assert [a["id"] for a in liushi.json("asset", "list", "--status", "闲置", "--as-of", "2004-12-19")] == ["A0002"]


def test_asset_show_names_its_open_incidents_leases_and_flags(liushi: Cli) -> None:
    liushi.ok(
        "lease",
        "add",
        "--asset",
        "A0001",
        "--tenant",
        "温州某公司",
        "--start",
        "2004-01-01",
        "--end",
        "2005-12-31",
        "--rent",
        "2000",
        "--period",
        "quarterly",
    )
    shown = liushi.json("asset", "show", "A0001")
    assert shown["open_incidents"] == ["I0001"]
    assert [x["id"] for x in shown["leases"]] == ["L0001"]
    assert {f["code"] for f in shown["flags"]} >= {"ENCROACHMENT_OPEN", "RENT_ARREARS"}
    text = liushi.ok("asset", "show", "A0001").stdout
    assert "I0001" in text and "温州某公司" in text and "ENCROACHMENT_OPEN" in text and "Value history" in text


def test_lease_show_has_payments_and_unpaid_dues(liushi: Cli) -> None:
    liushi.ok(
        "lease",
        "add",
        "--asset",
        "A0002",
        "--tenant",
        "某公司",
        "--start",
        "2005-01-01",
        "--end",
        "2005-12-31",
        "--rent",
        "1000.50",
        "--period",
        "monthly",
        "--deposit",
        "3000",
    )
    liushi.ok("lease", "pay", "L0001", "--date", "2005-01-03", "--amount", "1500", "--note", "一月及二月部分")
    shown = liushi.json("lease", "show", "L0001")
    # dues on 01-01, 02-01, 03-01 (as of 03-15) = 3,001.50; paid 1,500 → 1,501.50 owed
    assert shown["arrears"] == "1501.50"
    assert shown["unpaid"] == [{"due": "2005-02-01", "amount": "501.00"}, {"due": "2005-03-01", "amount": "1000.50"}]
    assert shown["payments"] == [{"date": "2005-01-03", "amount": "1500.00", "note": "一月及二月部分"}]
    # the open damage decides the status; resolving it gives back the lease's status
    assert liushi.json("asset", "show", "A0002")["status"] == "damaged"
    liushi.ok("incident", "close", "I0001", "--date", "2005-03-01")
    shown = liushi.json("asset", "show", "A0002")
    assert (shown["status"], shown["status_since"]) == ("leased", "2005-03-01")


def test_incident_timeline_age_and_open_sorting(liushi: Cli) -> None:
    liushi.ok(
        "incident", "add", "--kind", "land_dispute", "--asset", "A0003", "--occurred", "2003-05-01", "--counterparty", "中心村"
    )
    opened = liushi.json("incident", "list", "--open")
    assert [(i["id"], i["age_days"]) for i in opened] == [("I0002", 684), ("I0001", 85)]
    shown = liushi.json("incident", "show", "I0001")
    assert [t["what"] for t in shown["timeline"]] == ["occurred", "reported", "action"]
    assert shown["timeline"][2]["status"] == "mediation" and shown["status"] == "mediation"
    text = liushi.ok("incident", "show", "I0001").stdout
    assert "市里成立调解小组" in text and "85" in text
    liushi.refused("incident", "close", "I0001", "--date", "2005-03-01", "--status", "mediation")
    closed = liushi.json("incident", "close", "I0001", "--date", "2005-03-01", "--note", "达成协议")
    assert closed["status"] == "resolved"
    assert [i["id"] for i in liushi.json("incident", "list", "--open")] == ["I0002"]


def test_member_edit_and_asset_history(liushi: Cli) -> None:
    edited = liushi.json("member", "edit", "M001", "--restructuring", "改制中", "--restructuring-since", "2003-01-01")
    assert edited["restructuring"] == "in_progress"
    liushi.ok(
        "asset",
        "impair",
        "A0001",
        "--date",
        "2004-12-31",
        "--value",
        "100000.00",
        "--cause",
        "damage",
        "--incident",
        "I0001",
        "--doc",
        "乐二轻〔2005〕3号",
    )
    history = liushi.json("asset", "history", "A0001")
    assert [(h["kind"], h["before"], h["after"], h.get("incident")) for h in history] == [
        ("acquire", None, "320000.00", None),
        ("impair", "320000.00", "100000.00", "I0001"),
    ]


def test_prompts_ask_for_missing_fields_and_repeat_bad_answers(cli: Cli) -> None:
    # No options at all: every field is asked, the required ones first; Enter skips the 8 optional ones.
    answers = "柳市布厂\n柳市片\nnonsense\n企业\n" + "\n" * 8
    result = cli.run("member", "add", "--json", input=answers, env={"ASSETREG_INTERACTIVE": "1"})
    assert result.exit_code == 0, result.stderr
    assert "enterprise" in result.stderr  # the choices are listed
    assert "'nonsense'" in result.stderr  # the bad answer is refused with the reason, then asked again
    member = json.loads(result.stdout[result.stdout.index("{") :])  # CliRunner echoes the typed answers
    assert (member["name"], member["district"], member["kind"]) == ("柳市布厂", "柳市片", "enterprise")


def test_prompt_shows_defaults(cli: Cli) -> None:
    cli.ok("member", "add", "--name", "甲", "--district", "片", "--kind", "enterprise")
    result = cli.run("lease", "add", "--asset", "A0001", input="\n", env={"ASSETREG_INTERACTIVE": "1"})
    assert result.exit_code == 1  # A0001 does not exist: refused, naming it, before any question
    assert result.stderr == "error: --asset 'A0001': no such record\n"
    cli.ok(
        "asset", "add", "--name", "厂房", "--owner", "M001", "--category", "building", "--acquired", "2000-01-01", "--value", "1"
    )
    # the basis of a revaluation is offered with its default shown; Enter takes it (then no 文号, no note)
    result = cli.run(
        "asset", "revalue", "A0001", "--date", "2004-01-01", "--json", input="50000\n\n\n\n", env={"ASSETREG_INTERACTIVE": "1"}
    )
    assert result.exit_code == 0, result.stderr
    assert "[appraisal]: " in result.stderr
    assert json.loads(result.stdout[result.stdout.index("{") :])["history"][-1]["basis"] == "appraisal"
    # what happened in an incident has no default (version 3): Enter is asked again, and 台风 is a disaster
    result = cli.run(
        "incident", "add", "--asset", "A0001", "--occurred", "2004-01-01", "--json", input="\n台风\n\n\n\n\n\n",
        env={"ASSETREG_INTERACTIVE": "1"},
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "[encroachment]" not in result.stderr and "--kind: an answer is needed" in result.stderr
    assert json.loads(result.stdout[result.stdout.index("{") :])["kind"] == "disaster"


def run_in_terminal(args: list[str], env: dict[str, str], answers: list[bytes] | None = None) -> tuple[int, bytes]:
    """Run assetreg with a pseudo-terminal as stdin, stdout and stderr; answer prompts ending in ':'."""
    import pty
    import select

    pending = list(answers or [])
    pid, fd = pty.fork()
    if pid == 0:  # the child
        os.execvpe(sys.executable, [sys.executable, "-m", "assetreg", *args], env)
    seen = b""
    while True:
        ready, _, _ = select.select([fd], [], [], 10)
        if not ready:
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if seen.rstrip().endswith(b":") and pending:
            os.write(fd, pending.pop(0))
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), seen


def terminal_env(registry: Path) -> dict[str, str]:
    env = {**os.environ, "ASSETREG_FILE": str(registry), "ASSETREG_LANG": "en", "NO_COLOR": "1"}
    env.pop("ASSETREG_INTERACTIVE", None)
    subprocess.run([sys.executable, "-m", "assetreg", "init"], env=env, check=True, capture_output=True)
    return env


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_a_real_terminal_gets_prompts(tmp_path: Path) -> None:
    registry = tmp_path / "r.json"
    answers = ["柳市片\n".encode(), b"enterprise\n"]
    code, seen = run_in_terminal(["member", "add", "--name", "柳市布厂"], terminal_env(registry), answers)
    assert code == 0, seen.decode(errors="replace")
    assert b"district" in seen and b"kind" in seen
    data = json.loads(registry.read_text(encoding="utf-8"))
    assert data["members"]["M001"]["district"] == "柳市片"


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_long_imports_show_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    rows = ["name,district,kind"] + [f"成员{n},片,enterprise" for n in range(1500)]
    (tmp_path / "m.csv").write_text("\n".join(rows), encoding="utf-8")
    code, seen = run_in_terminal(["import", "members", str(tmp_path / "m.csv")], terminal_env(tmp_path / "r.json"))
    assert code == 0 and b"Checking rows" in seen and b"Imported 1500 rows" in seen


def test_every_command_has_help_text() -> None:
    root = typer.main.get_command(app)

    def walk(command, path):
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, [*path, name])

    missing = [" ".join(p) for p, c in walk(root, ["assetreg"]) if not (c.help or "").strip()]
    assert missing == []


def test_help_names_the_default_registry(cli: Cli) -> None:
    assert "registry.json" in cli.ok("--help").stdout


def test_core_imports_nothing_of_typer_rich_or_tinydb() -> None:
    code = (
        "import sys, assetreg.core.records, assetreg.core.flags, assetreg.core.reports, assetreg.core.transfer, "
        "assetreg.core.journal; bad = [m for m in sys.modules if m.split('.')[0] in ('typer', 'rich', 'tinydb', "
        "'click')]; print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_python_dash_m_works(cli: Cli) -> None:
    result = subprocess.run([sys.executable, "-m", "assetreg", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "member" in result.stdout


def test_help_loads_no_noun_modules() -> None:
    code = (
        "import sys\nsys.argv = ['assetreg', '--help']\nfrom assetreg.cli.main import run\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in ('assetreg.cli.members', 'assetreg.core.records', 'assetreg.core.reports', 'tinydb')"
        " if m in sys.modules]\nprint('LOADED', loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "LOADED []" in result.stdout, result.stdout + result.stderr


def test_named_noun_skips_global_options() -> None:
    from assetreg.cli.main import named_noun

    assert named_noun(["--registry", "x.json", "--lang", "zh", "asset", "list"]) == "asset"
    assert named_noun(["--registry=x.json", "member"]) == "member"
    assert named_noun(["--help"]) is None


def test_flags_command_filters_and_exit_codes(liushi: Cli) -> None:
    liushi.ok("member", "add", "--name", "大荆木器厂", "--district", "大荆片", "--kind", "enterprise")
    liushi.ok(
        "asset",
        "add",
        "--name",
        "木器厂厂房",
        "--owner",
        "M002",
        "--category",
        "building",
        "--acquired",
        "2004-01-01",
        "--value",
        "1000",
    )  # no title certificate: NO_TITLE, medium
    everything = liushi.json("flags")
    assert {(f["code"], f["record_id"]) for f in everything} >= {("ENCROACHMENT_OPEN", "I0001"), ("NO_TITLE", "A0006")}
    assert [f["code"] for f in liushi.json("flags", "--member", "M002")] == ["NO_TITLE"]
    assert {f["severity"] for f in liushi.json("flags", "--min-severity", "high")} == {"high"}
    assert liushi.run("flags", "--member", "M002", "--fail-on", "high").exit_code == 0
    assert liushi.run("flags", "--member", "M002", "--fail-on", "medium").exit_code == 3
    liushi.refused("flags", "--member", "M404")
    liushi.refused("flags", "--fail-on", "severe")
    flag = next(f for f in everything if f["code"] == "ENCROACHMENT_OPEN")
    assert set(flag) >= {"code", "severity", "record_type", "record_id", "message", "since"}
    assert (flag["record_type"], flag["since"]) == ("incident", "2004-12-20")


def test_a_threshold_setting_changes_the_flags(liushi: Cli) -> None:
    # the last action on I0001 was 2005-01-10: 64 days before 2005-03-15, so not stale at 90 days
    assert "ENCROACHMENT_STALE" not in {f["code"] for f in liushi.json("flags")}
    liushi.ok("settings", "set", "stale_action_days", "60")
    assert "ENCROACHMENT_STALE" in {f["code"] for f in liushi.json("flags")}
    assert liushi.json("settings", "show")["stale_action_days"] == 60
    assert "stale_action_days" in liushi.ok("settings", "show").stdout


def test_remove_needs_force_refuses_named_records_and_is_logged(liushi: Cli) -> None:
    liushi.ok("member", "add", "--name", "误录单位", "--district", "片", "--kind", "enterprise")
    assert "--force" in liushi.refused("member", "remove", "M002")
    assert "A0001" in liushi.refused("member", "remove", "M001", "--force")  # still owns assets
    assert "I0001" in liushi.refused("asset", "remove", "A0001", "--force")  # named by the incident
    liushi.refused("lease", "remove", "L0404", "--force")
    removed = liushi.json("member", "remove", "M002", "--force")
    assert removed["name"] == "误录单位"
    assert "M002" not in {m["id"] for m in liushi.json("member", "list")}
    entry = liushi.json("log", "--record", "M002")[-1]
    assert entry["changes"][0]["before"]["name"] == "误录单位" and entry["changes"][0]["after"] is None
    assert "OK" in liushi.ok("verify").stdout


def test_a_member_with_no_employees_shows_0(cli: Cli) -> None:
    cli.ok("member", "add", "--name", "市无线电二厂", "--district", "城区片", "--kind", "enterprise", "--employees", "0")
    line = next(x for x in cli.ok("member", "show", "M001").stdout.splitlines() if x.startswith("Employees"))
    assert line.split() == ["Employees", "0"]  # none is a figure: 0, not a blank
