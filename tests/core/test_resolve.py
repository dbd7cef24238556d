"""Records named by their name: the index behind it follows the command's own inserts, edits and removals."""

from __future__ import annotations

import pytest

from assetreg.core.errors import Conflict, NotFound
from assetreg.core.registry import Registry


def test_a_name_is_found_after_the_records_change_within_one_command() -> None:
    reg = Registry({"members": {"M001": {"id": "M001", "name": "柳市布厂"}, "M002": {"id": "M002", "name": "皮件厂"}}})
    assert reg.resolve("members", "柳市布厂") == "M001"  # builds the index
    reg.edit("members", "M001")["name"] = "柳市纺织厂"  # renamed after the index was built
    assert reg.resolve("members", "柳市纺织厂") == "M001"
    with pytest.raises(NotFound):
        reg.resolve("members", "柳市布厂")
    reg.insert("members", {"id": "M003", "name": "皮件厂"})  # a second record with a name already there
    with pytest.raises(Conflict) as refused:
        reg.resolve("members", "皮件厂")
    assert refused.value.params == {"count": 2, "ids": "M002 皮件厂, M003 皮件厂"}
    reg.remove("members", "M002")
    assert reg.resolve("members", "皮件厂") == "M003"
    assert reg.resolve("members", "m001") == "M001"  # an id still needs no index
