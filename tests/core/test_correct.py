"""The units of undo and revert on plain records: fields, items of a list known by their content,
whole records; which entry undo and redo take; when a unit still stands."""

from __future__ import annotations

import copy

import pytest

from assetreg.core import correct
from assetreg.core.errors import Conflict
from assetreg.core.journal import canonical
from assetreg.core.registry import Registry

P1 = {"date": "2005-01-05", "amount": "8000.00", "note": None}
P2 = {"date": "2005-02-05", "amount": "8000.00", "note": None}
LEASE = {"id": "L0001", "tenant": "乐清某电器有限公司", "deposit": "16000.00", "payments": [P1]}


def lease(**fields: object) -> dict[str, object]:
    return {**copy.deepcopy(LEASE), **fields}


def test_a_payment_is_one_item_and_a_field_one_unit() -> None:
    d = correct.delta("leases", "L0001", lease(), lease(payments=[P1, P2], tenant="某公司"))
    assert d.fields == {"tenant": ("乐清某电器有限公司", "某公司")}
    assert d.items == {("payments", canonical(P2)): 1}  # P1 is in both: not part of the change
    assert not d.whole
    assert correct.delta("leases", "L0001", None, lease()).whole


def test_an_edited_item_is_one_taken_out_and_one_put_in() -> None:
    edited = {**P1, "note": "押金"}
    d = correct.delta("leases", "L0001", lease(), lease(payments=[edited]))
    assert d.items == {("payments", canonical(P1)): -1, ("payments", canonical(edited)): 1}


def test_history_of_undo_and_redo() -> None:
    def entry(seq: int, kind: str | None = None, of: int = 0) -> dict[str, object]:
        return {"seq": seq, **({"correction": {"kind": kind, "entry": of}} if kind else {})}

    # 1 made the registry; 2, 3, 4 changes; 5 undoes 4; 6 undoes 3; 7 redoes 3.
    log = [entry(1), entry(2), entry(3), entry(4), entry(5, "undo", 4), entry(6, "undo", 3), entry(7, "redo", 3)]
    assert correct.history(log) == ([2, 3], [4])
    # A new change (8) leaves nothing to redo; a revert (9) is a change that undo can take back.
    assert correct.history([*log, entry(8), entry(9, "revert", 2)]) == ([2, 3, 8, 9], [])


def registry_with(record: dict[str, object]) -> Registry:
    return Registry({"leases": {"L0001": copy.deepcopy(record)}})


def test_another_identical_payment_entered_later_does_not_stop_a_revert() -> None:
    # Entry N added a second P1 (the same payment paid twice, on purpose).
    before, after = lease(), lease(payments=[P1, P1])
    backwards = correct.delta("leases", "L0001", after, before)
    # A later entry added a third: the copy N added is still there to take out.
    reg = registry_with(lease(payments=[P1, P1, P1]))
    correct.check_later(reg, [backwards], 5, [])
    correct.apply(reg, [backwards], 5)
    assert reg.leases["L0001"]["payments"] == [P1, P1]
    # A later entry took one out: N's copy is gone, and the entry that took it is named.
    reg = registry_with(lease(payments=[P1]))
    later = {"seq": 6, "changes": [{"kind": "leases", "id": "L0001", "before": after, "after": lease(payments=[P1])}]}
    with pytest.raises(Conflict) as refused:
        correct.check_later(reg, [backwards], 5, [later])
    assert refused.value.params == {"later": 6, "what": "L0001 payments"}


def test_a_payment_put_back_goes_where_it_stood() -> None:
    # Entry N took out P1 from [P1, P1', P2] (two payments on 2005-01-05); reverting puts it back first.
    other = {**P1, "amount": "100.00"}
    before, after = lease(payments=[P1, other, P2]), lease(payments=[other, P2])
    reg = registry_with(after)
    correct.apply(reg, [correct.delta("leases", "L0001", after, before)], 5)
    assert reg.leases["L0001"]["payments"] == [P1, other, P2]


def test_a_field_changed_and_changed_back_stands() -> None:
    before, after = lease(), lease(tenant="某公司")
    backwards = correct.delta("leases", "L0001", after, before)
    assert correct._stale(registry_with(after), backwards) == []
    assert correct._stale(registry_with(lease(tenant="另一公司")), backwards) == ["tenant"]
    assert correct._stale(Registry({"leases": {}}), backwards) == [None]
