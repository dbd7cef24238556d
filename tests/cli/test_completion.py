"""Shell completion through the protocol the shells' scripts use: `_ASSETREG_COMPLETE=complete_bash` with
`COMP_WORDS`/`COMP_CWORD`, or `complete_zsh`/`complete_fish` with `_TYPER_COMPLETE_ARGS`, run as a real
process (the noun on the line is loaded only then, as at a shell)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from assetreg.cli.main import full_app
from tests.conftest import Cli

ASSETREG = [sys.executable, "-m", "assetreg"]
NOUNS = [
    "member",
    "asset",
    "lease",
    "incident",
    "settings",
    "report",
    "import",
    "export",
    "backup",
    "attachment",
    "clearance",
    "rollup",
]
TOP = ["init", "flags", "log", "verify", "undo", "redo", "revert", "attach", "attachments"]


@pytest.fixture
def small(cli: Cli) -> Cli:
    """Two members, two assets, a lease and an incident; no lock file left beside the registry."""
    cli.ok("member", "add", "--name", "柳市布厂", "--district", "柳市片", "--kind", "enterprise")
    cli.ok("member", "add", "--name", "大荆木器厂", "--district", "大荆片", "--kind", "enterprise")
    for name, owner in (("柳市布厂1号厂房", "M001"), ("大荆木器厂仓库", "M002")):
        cli.ok(
            "asset", "add", f"--name={name}", f"--owner={owner}", "--category=building", "--acquired=1985-06-01", "--value=320000"
        )
    lease = (
        "--tenant",
        "乐清市某鞋业公司",
        "--start",
        "2005-01-01",
        "--end",
        "2007-12-31",
        "--rent",
        "3000",
        "--period",
        "monthly",
    )
    cli.ok("lease", "add", "--asset", "A0002", *lease)
    cli.ok(
        "incident", "add", "--kind", "damage", "--asset", "A0001", "--occurred", "2004-12-20", "--counterparty", "柳市镇上峰村"
    )
    cli.registry.with_name(cli.registry.name + ".lock").unlink(missing_ok=True)
    return cli


def environment(registry: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COMP_WORDS", "COMP_CWORD", "_TYPER_COMPLETE_ARGS")}
    return {**env, "ASSETREG_FILE": str(registry), "ASSETREG_LANG": "en", "NO_COLOR": "1", **extra}


def complete(registry: Path, line: str, shell: str = "bash", **extra: str) -> list[str]:
    """What the shell gets for `line` (the word after its last space is the one being completed)."""
    if shell == "bash":
        words = line.split(" ")
        env = environment(registry, COMP_WORDS=line, COMP_CWORD=str(len(words) - 1), **extra)
    else:
        env = environment(registry, _TYPER_COMPLETE_ARGS=line, _TYPER_COMPLETE_FISH_ACTION="get-args", **extra)
    env["_ASSETREG_COMPLETE"] = f"complete_{shell}"
    before = sorted(registry.parent.iterdir()), registry.read_bytes() if registry.exists() else None
    result = subprocess.run(ASSETREG, env=env, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (0, "")
    # completion reads only: the registry byte for byte as it was, no lock file, nothing created
    assert (sorted(registry.parent.iterdir()), registry.read_bytes() if registry.exists() else None) == before
    return [line for line in result.stdout.splitlines() if line]  # nothing to offer is one empty line


def test_top_level_completes_every_noun_and_command(small: Cli) -> None:
    assert sorted(complete(small.registry, "assetreg ")) == sorted(TOP + NOUNS)
    assert complete(small.registry, "assetreg as") == ["asset"]
    options = complete(small.registry, "assetreg --")
    assert {
        "--registry",
        "--lang",
        "--no-input",
        "--skip-bad",
        "--version",
        "--install-completion",
        "--show-completion",
        "--help",
    } == set(options)
    assert len(options) == len(set(options))  # Typer's own completion options left out: ours only


def test_a_noun_is_loaded_to_complete_its_commands_and_options(small: Cli) -> None:
    assert complete(small.registry, "assetreg asset ") == [
        "add",
        "edit",
        "revalue",
        "impair",
        "dispose",
        "transfer",
        "list",
        "show",
        "history",
        "remove",
    ]
    # global options before the noun are skipped to find it
    assert complete(small.registry, f"assetreg --registry {small.registry} --lang zh lease ") == [
        "add",
        "edit",
        "pay",
        "end",
        "write-off",
        "list",
        "show",
        "statement",
        "remove",
    ]
    assert "--title-no" in complete(small.registry, "assetreg asset add --t")
    assert complete(small.registry, "assetreg asset dispose A0001 --end") == ["--end-leases"]


def test_choices_complete_with_their_chinese_names(small: Cli) -> None:
    categories = ["building", "land", "equipment", "vehicle", "equity", "other"]
    assert complete(small.registry, "assetreg asset add --category ") == categories
    # case ignored: Typer keeps what starts with the word as typed, so the rest is added to it (the option
    # takes any case)
    assert complete(small.registry, "assetreg asset add --category E") == ["Equipment", "Equity"]
    # zsh and fish show each value's Chinese name beside it, which the option accepts as well
    assert complete(small.registry, "assetreg asset list --category b", "fish") == ["building\t厂房"]
    assert complete(small.registry, "assetreg lease add --period q", "zsh") == ['_arguments \'*: :(("quarterly":"按季"))\'']
    assert complete(small.registry, "assetreg asset add --status ") == ["in_use", "leased", "idle", "damaged", "occupied"]
    assert complete(small.registry, "assetreg asset list --status d") == ["damaged", "disposed"]  # a list may ask for disposed
    assert complete(small.registry, "assetreg incident close I0001 --status ") == ["resolved", "closed"]
    assert complete(small.registry, "assetreg report value --by ") == ["member", "district", "category", "source"]
    assert complete(small.registry, "assetreg report summary --format x") == ["xlsx"]
    assert complete(small.registry, "assetreg flags --fail-on ") == ["low", "medium", "high"]
    assert complete(small.registry, "assetreg --lang ") == ["en", "zh"]
    assert complete(small.registry, "assetreg settings set idle") == ["idle_years"]
    assert complete(small.registry, "assetreg settings set back", "fish") == [
        "backups_kept\tprevious versions of the registry kept beside it"
    ]


def test_asset_ids_complete_with_their_names(small: Cli) -> None:
    assert complete(small.registry, "assetreg asset show A") == ["A0001", "A0002"]
    # an id typed in lower case completes in lower case (ids are read in any case)
    assert complete(small.registry, "assetreg asset show a0", "fish") == ["a0001\t柳市布厂1号厂房", "a0002\t大荆木器厂仓库"]
    assert complete(small.registry, "assetreg lease add --asset a0") == ["a0001", "a0002"]
    assert complete(small.registry, "assetreg incident add --asset A0001 --asset a00") == ["a0001", "a0002"]
    assert complete(small.registry, "assetreg asset history A0002") == ["A0002"]
    assert complete(small.registry, "assetreg asset show M") == []  # member ids are not asset ids


def test_member_lease_and_incident_ids_complete(small: Cli) -> None:
    members = ["M001", "M002"]
    assert complete(small.registry, "assetreg asset add --owner ") == members
    assert complete(small.registry, "assetreg asset edit A0001 --holds m") == ["m001", "m002"]
    assert complete(small.registry, "assetreg asset transfer A0001 --to m00") == ["m001", "m002"]
    assert complete(small.registry, "assetreg flags --member M002") == ["M002"]
    assert complete(small.registry, "assetreg report register --member ", "fish") == ["M001\t柳市布厂", "M002\t大荆木器厂"]
    assert complete(small.registry, "assetreg member remove ") == members
    assert complete(small.registry, "assetreg lease pay ", "fish") == ["L0001\t乐清市某鞋业公司"]
    assert complete(small.registry, "assetreg asset impair A0001 --incident ", "fish") == ["I0001\t柳市镇上峰村"]
    assert complete(small.registry, "assetreg incident act i") == ["i0001"]
    # the change log names records of every kind
    assert complete(small.registry, "assetreg log --record ") == ["M001", "M002", "A0001", "A0002", "L0001", "I0001"]
    # a date option of the same name elsewhere completes no member: report --to is the period's last day
    assert complete(small.registry, "assetreg report value --to M") == []


def test_the_registry_on_the_line_is_the_one_read(small: Cli, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "other.json"
    other.parent.mkdir()
    shutil.copy(small.registry, other)
    missing = tmp_path / "no-such.json"
    assert complete(missing, f"assetreg --registry {other} asset show ") == ["A0001", "A0002"]
    assert complete(small.registry, f"assetreg --registry {missing} asset show ") == []
    # bash breaks `--registry=FILE` at the `=` into three words; zsh and fish keep it one
    assert complete(missing, f"assetreg --registry = {other} asset show ") == ["A0001", "A0002"]
    assert complete(missing, f"assetreg --registry={other} asset show a", "fish")[0] == "a0001\t柳市布厂1号厂房"
    assert complete(missing, "assetreg asset add --category = v") == ["vehicle"]


def test_a_missing_or_broken_registry_completes_no_ids_and_creates_nothing(small: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    missing = folder / "registry.json"
    assert complete(missing, "assetreg asset show ") == []
    assert complete(missing, "assetreg lease add --asset A", "zsh") == ["_files"]  # zsh falls back to file names
    assert list(folder.iterdir()) == []
    broken = folder / "broken.json"
    for damage in (b"{not json", b'{\n"assets":{\n"A0001":{"name":"x"}\n}\n}', b"\xff\xfe"):  # the second has no meta
        broken.write_bytes(damage)
        assert complete(broken, "assetreg asset show ") == []
    # one record cut short: zsh and fish (which read the names) offer nothing; bash reads only the ids,
    # and offers those (the command then names the damage in one line)
    text = small.registry.read_text(encoding="utf-8")
    start = text.index('"A0002":')
    broken.write_text(text[: start + 20] + text[text.index("\n", start) :], encoding="utf-8")
    assert complete(broken, "assetreg asset show A", "fish") == []
    assert complete(broken, "assetreg asset show A") == ["A0001", "A0002"]
    # commands and choices still complete without a registry
    assert complete(missing, "assetreg asset add --category l") == ["land"]


def test_every_choice_and_record_option_completes(small: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each option or argument taking a closed vocabulary, naming a record, a district or a number of the
    backups or the log completes at the shell (asked through Click's public `shell_complete`)."""
    choice_options = {"--category", "--status", "--kind", "--period", "--method", "--basis", "--cause", "--source"}
    choice_options |= {"--format", "--by", "--unit", "--min-severity", "--fail-on", "--restructuring", "--encoding", "--lang"}
    record_options = {"--owner", "--asset", "--holds", "--incident", "--member", "--record", "--district"}
    record_arguments = {"member_id", "asset_id", "lease_id", "incident_id", "record_id", "key"}
    monkeypatch.setenv("ASSETREG_FILE", str(small.registry))
    small.ok("lease", "pay", "L0001", "--date", "2005-03-01", "--amount", "1")  # a backup to complete
    seen = set()

    def walk(command: Any, path: str) -> None:
        for param in command.params:
            names = set(param.opts) | ({param.name} if param.param_type_name == "argument" else set())
            wanted = names & (choice_options | record_options | record_arguments)
            if path.startswith("clearance") and param.name == "by":
                continue  # who counted: a person, free text
            if (
                wanted
                or (path == "asset transfer" and param.name == "to")
                or (path in ("revert", "backup restore") and param.param_type_name == "argument")
            ):
                assert param.shell_complete(typer.Context(command), ""), (path, param.name)
                seen.update(wanted)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}".strip())

    walk(typer.main.get_command(full_app()), "")
    assert seen == choice_options | record_options | record_arguments


def test_show_completion_prints_each_shells_script(tmp_path: Path) -> None:
    env = environment(tmp_path / "registry.json")
    scripts = {}
    for shell in ("bash", "zsh", "fish"):
        result = subprocess.run([*ASSETREG, "--show-completion", shell], env=env, capture_output=True, text=True, timeout=60)
        assert (result.returncode, result.stderr) == (0, "")
        scripts[shell] = result.stdout
    assert "_ASSETREG_COMPLETE=complete_bash" in scripts["bash"] and "complete -o default -F" in scripts["bash"]
    assert "_ASSETREG_COMPLETE=complete_zsh" in scripts["zsh"] and "compdef" in scripts["zsh"]
    assert "_ASSETREG_COMPLETE=complete_fish" in scripts["fish"] and "complete --command assetreg" in scripts["fish"]
    refused = subprocess.run([*ASSETREG, "--show-completion", "tcsh"], env=env, capture_output=True, text=True, timeout=60)
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr == "error: --show-completion 'tcsh': not one of: bash, zsh, fish\n"
    assert list(tmp_path.iterdir()) == []


def test_install_completion_writes_the_script_into_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {**environment(tmp_path / "registry.json"), "HOME": str(home)}
    places = {
        "bash": home / ".bash_completions" / "assetreg.sh",
        "zsh": home / ".zfunc" / "_assetreg",
        "fish": home / ".config" / "fish" / "completions" / "assetreg.fish",
    }
    for shell, place in places.items():
        result = subprocess.run([*ASSETREG, "--install-completion", shell], env=env, capture_output=True, text=True, timeout=60)
        assert (result.returncode, result.stdout) == (0, "")
        assert result.stderr == f"{shell} completion installed in {place}; it works in a new terminal.\n"
        assert f"_ASSETREG_COMPLETE=complete_{shell}" in place.read_text()
    assert f"source '{places['bash']}'" in (home / ".bashrc").read_text()  # bash reads it at start
    assert "fpath+=~/.zfunc" in (home / ".zshrc").read_text()
    chinese = subprocess.run(
        [*ASSETREG, "--install-completion", "bash"],
        env={**env, "ASSETREG_LANG": "zh"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert chinese.stderr == f"bash 的 Tab 补全已安装到 {places['bash']}；新开一个终端窗口即可使用。\n"
    assert not (tmp_path / "registry.json").exists()


def test_both_options_are_in_the_help_in_chinese(cli: Cli) -> None:
    text = cli.ok("--lang", "zh", "--help", env={"COLUMNS": "200"}).stdout
    assert "打印 bash、zsh 或 fish 的 Tab 补全脚本（默认为当前 shell）。" in text
    assert "为 bash、zsh 或 fish 安装 Tab 补全" in text


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_itself_completes_with_the_script(small: Cli) -> None:
    """The script `--show-completion bash` prints, run by bash, fills COMPREPLY for a Tab after `a0`."""
    script = 'eval "$(assetreg --show-completion bash)"; COMP_WORDS=(assetreg lease add --asset a0); COMP_CWORD=4; '
    script += '_assetreg_completion assetreg; printf "%s\\n" "${COMPREPLY[@]}"; '
    script += "COMP_WORDS=(assetreg asset list --status = i); COMP_CWORD=5; "  # as bash splits --status=i
    script += '_assetreg_completion assetreg; printf "%s\\n" "${COMPREPLY[@]}"'
    folder = small.registry.parent / "bin"
    folder.mkdir()
    (folder / "assetreg").write_text(f'#!/bin/sh\nexec {sys.executable} -m assetreg "$@"\n')
    (folder / "assetreg").chmod(0o755)
    env = environment(small.registry, PATH=f"{folder}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, "a0001\na0002\nin_use\nidle\n", "")


def test_more_ids_than_are_named_complete_without_names(small: Cli, tmp_path: Path) -> None:
    """Over 1,000 ids a list is scrolled, not read: zsh and fish get the ids alone; narrower, with names."""
    path = tmp_path / "assets.csv"
    rows = [f"B{n:04d},仓库{n},M001,building,2000-01-01,1000" for n in range(1001)]
    path.write_text("id,name,owner,category,acquired,value\n" + "\n".join(rows), encoding="utf-8")
    small.ok("import", "assets", str(path))
    small.registry.with_name(small.registry.name + ".lock").unlink(missing_ok=True)
    many = complete(small.registry, "assetreg asset show b", "fish")
    assert many[0] == "b0000" and many[-1] == "b1000" and len(many) == 1001  # B0000 … B1000, as typed: b
    few = complete(small.registry, "assetreg asset show B100", "fish")
    assert few == ["B1000\t仓库1000"]  # B100 itself is not an id: B1000 is the only one starting so


def test_names_districts_and_numbers_complete(small: Cli) -> None:
    # a record is named by its id or its name: a name begun completes to the whole name, its id beside it
    assert complete(small.registry, "assetreg asset list --owner 柳", "fish") == ["柳市布厂\tM001"]
    assert complete(small.registry, "assetreg lease list --asset 大荆", "fish") == ["大荆木器厂仓库\tA0002"]
    assert complete(small.registry, "assetreg asset list --owner 柳") == ["柳市布厂"]  # bash: the name alone
    # districts, each with how many members are in it
    assert complete(small.registry, "assetreg member list --district ", "fish") == ["大荆片\t1 member", "柳市片\t1 member"]
    assert complete(small.registry, "assetreg asset list --district 柳") == ["柳市片"]
    # log entry numbers, latest first, with their commands; backup numbers with their files
    log = complete(small.registry, "assetreg revert ", "fish")
    # 7 entries by hand: init, 2 members, 2 assets, the lease, the incident; each with its command line
    assert [x.split("\t")[0] for x in log] == ["7", "6", "5", "4", "3", "2", "1"] and all("\t" in x for x in log)
    assert complete(small.registry, "assetreg revert 1") == ["1"]
    small.ok("lease", "pay", "L0001", "--date", "2005-03-01", "--amount", "3000")
    small.registry.with_name(small.registry.name + ".lock").unlink(missing_ok=True)
    backups = complete(small.registry, "assetreg backup restore ", "fish")
    # one kept before each write after init: 2 members, 2 assets, the lease, the incident, the payment = 7
    assert [b.split("\t")[0] for b in backups] == ["1", "2", "3", "4", "5", "6", "7"]


def shell_path(small: Cli) -> dict[str, str]:
    """An environment whose PATH runs this checkout's assetreg, as an installed one would be run."""
    folder = small.registry.parent / "bin"
    folder.mkdir(exist_ok=True)
    (folder / "assetreg").write_text(f'#!/bin/sh\nexec {sys.executable} -m assetreg "$@"\n')
    (folder / "assetreg").chmod(0o755)
    return environment(small.registry, PATH=f"{folder}{os.pathsep}{os.environ['PATH']}", HOME=str(small.registry.parent))


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed (.ci/run installs it from the distribution)")
def test_zsh_itself_completes_with_the_script(small: Cli) -> None:
    """The script `--show-completion zsh` prints, run by zsh: its function is called as zsh's completion
    system would call it (words, CURRENT), with `_arguments` showing what zsh would offer."""
    script = (
        'compdef() { :; }; _files() { print -r -- FILES; }; _arguments() { print -rl -- "$@"; }; '
        'eval "$(assetreg --show-completion zsh)"; '
        "words=(assetreg asset list --owner 柳); CURRENT=5; _assetreg_completion; "
        "words=(assetreg member list --district ''); CURRENT=5; _assetreg_completion; "
        "words=(assetreg lease pay l); CURRENT=4; _assetreg_completion"
    )
    result = subprocess.run(["zsh", "-f", "-c", script], env=shell_path(small), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        '*: :(("柳市布厂":"M001"))',
        '*: :(("大荆片":"1 member" "柳市片":"1 member"))',
        '*: :(("l0001":"乐清市某鞋业公司"))',
    ]


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed (.ci/run installs it from the distribution)")
def test_fish_itself_completes_with_the_script(small: Cli) -> None:
    """The script `--show-completion fish` prints, loaded by fish, and fish's own `complete -C` on a line."""
    script = (
        "assetreg --show-completion fish | source; "
        "complete -C 'assetreg asset list --owner 柳'; "
        "complete -C 'assetreg member list --district '; "
        "complete -C 'assetreg asset show A000'"
    )
    result = subprocess.run(
        ["fish", "--no-config", "-c", script], env=shell_path(small), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "柳市布厂\tM001",
        "大荆片\t1 member",
        "柳市片\t1 member",
        "A0001\t柳市布厂1号厂房",
        "A0002\t大荆木器厂仓库",
    ]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_itself_completes_names_and_districts(small: Cli) -> None:
    shown = '; _assetreg_completion assetreg; printf "%s\\n" "${COMPREPLY[@]}"; '
    script = 'eval "$(assetreg --show-completion bash)"; '
    script += "COMP_WORDS=(assetreg asset list --owner 柳); COMP_CWORD=4" + shown
    script += 'COMP_WORDS=(assetreg member list --district ""); COMP_CWORD=4' + shown
    result = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script], env=shell_path(small), capture_output=True, text=True, timeout=60
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "柳市布厂\n大荆片\n柳市片\n", "")


def test_each_shell_itself_completes_log_and_backup_numbers(small: Cli) -> None:
    """`revert N` and `backup restore N` in bash, zsh and fish themselves (where installed): the small
    registry's log has 7 entries (init, 2 members, 2 assets, the lease, the incident) and one backup was
    kept before each of the 6 writes after init."""
    env = shell_path(small)
    log, kept = [str(n) for n in range(7, 0, -1)], [str(n) for n in range(1, 7)]
    bash = 'eval "$(assetreg --show-completion bash)"; '
    for words, cword in (('(assetreg revert "")', 2), ('(assetreg backup restore "")', 3)):
        bash += f'COMP_WORDS={words}; COMP_CWORD={cword}; _assetreg_completion assetreg; echo "${{COMPREPLY[*]}}"; '
    result = subprocess.run(["bash", "--norc", "--noprofile", "-c", bash], env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines() == [" ".join(log), " ".join(kept)], result.stderr  # latest entry first
    if shutil.which("zsh"):
        zsh = 'compdef() { :; }; _arguments() { print -r -- "$@"; }; eval "$(assetreg --show-completion zsh)"; '
        zsh += "words=(assetreg revert ''); CURRENT=3; _assetreg_completion; "
        zsh += "words=(assetreg backup restore ''); CURRENT=4; _assetreg_completion"
        result = subprocess.run(["zsh", "-f", "-c", zsh], env=env, capture_output=True, text=True, timeout=60)
        # each number with what it is beside it: the entry's command, the backup's file
        assert [re.findall(r'"(\d+)":"[^"]+"', line) for line in result.stdout.splitlines()] == [log, kept], result.stderr
    if shutil.which("fish"):
        fish = "assetreg --show-completion fish | source; complete -C 'assetreg revert '; echo ==; "
        fish += "complete -C 'assetreg backup restore '"
        result = subprocess.run(["fish", "--no-config", "-c", fish], env=env, capture_output=True, text=True, timeout=60)
        entries, backups = result.stdout.split("==\n")
        # fish orders the candidates itself; each comes with its description after a Tab
        assert sorted(x.split("\t")[0] for x in entries.splitlines()) == sorted(log), result.stderr
        assert sorted(x.split("\t")[0] for x in backups.splitlines()) == sorted(kept)
        assert all("\t" in x for x in (entries + backups).splitlines())
