"""Group membership: the one check every export for a group goes through."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.sharing import SharingError
from lurewatch.sharing.errors import NotMemberError
from lurewatch.sharing.groups import create_group, is_member, member_groups, require_member
from lurewatch.store.keys import get_or_create_org


def test_require_member_tells_unknown_groups_from_refusals(lite: sessionmaker[Session]) -> None:
    with lite() as s:
        create_group(s, "mekong-task-force", members=["police-th", "ngo-kh"])
        create_group(s, "asean-desk", members=["police-th"])
        outsider = get_or_create_org(s, "ngo-mm").id
        police = get_or_create_org(s, "police-th").id
        s.commit()
        assert require_member(s, "mekong-task-force", police).name == "mekong-task-force"
        assert is_member(s, "asean-desk", police) and not is_member(s, "asean-desk", outsider)
        with pytest.raises(NotMemberError, match="mekong-task-force"):
            require_member(s, "mekong-task-force", outsider)
        with pytest.raises(SharingError, match="no sharing group") as unknown:
            require_member(s, "no-such-group", police)
        assert not isinstance(unknown.value, NotMemberError)
        assert member_groups(s, police) == ["asean-desk", "mekong-task-force"]
        assert member_groups(s, outsider) == []
