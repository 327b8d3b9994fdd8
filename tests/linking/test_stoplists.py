from __future__ import annotations

from lurewatch.linking.stoplists import SHORT_LINK_CAP, default_stoplists


def test_each_list_stops_its_keys_with_a_reason() -> None:
    s = default_stoplists()
    assert s.reason("domain:bit.ly") == "URL shortener"
    assert s.reason("url:http://bit.ly") == "URL shortener"
    assert s.reason("domain:facebook.com") == "big brand's own domain"
    assert s.reason("url:https://www.binance.com/") == "big brand's own domain"
    assert s.reason("phone:+661441") == "hotline number"
    assert s.reason("crypto_wallet:TV6MuMXfmLbBqPZvBHdwFsDnQeVfnmiuSi") == "public exchange address"
    assert s.reason("money:2000 USD") == "money is not an identifier"


def test_specific_pages_and_private_identifiers_are_not_stopped() -> None:
    s = default_stoplists()
    for key in (
        "url:https://www.facebook.com/groups/kh.jobs.2026",
        "url:http://bit.ly/3xYz9",
        "domain:siam-jobs-vip.top",
        "phone:+66924187730",
        "handle:siam_hr_team",
        "crypto_wallet:TQ9T7ksis1M4LwyX1qGLCkD9FWkdH7cpx4",
    ):
        assert s.reason(key) is None, key


def test_short_links_are_capped_other_keys_are_not() -> None:
    s = default_stoplists()
    assert s.cap("url:http://bit.ly/3xYz9") == SHORT_LINK_CAP
    assert s.cap("url:https://siam-jobs-vip.top/apply") == 1000
    assert s.cap("phone:+66924187730") == 1000
