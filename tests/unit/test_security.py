"""Token and key material: pure functions."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from app.core import security
from app.core.security import (
    InvalidToken,
    TokenType,
    api_key_matches,
    api_key_prefix,
    decode_token,
    encode_token,
    generate_api_key,
    hash_password,
    unusable_password_hash,
    verify_password,
)

SECRET = "unit-test-secret-0123456789"


def test_token_round_trip_keeps_its_claims() -> None:
    subject, session_id, token_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    token = encode_token(
        secret=SECRET,
        token_type=TokenType.ACCESS,
        subject=subject,
        session_id=session_id,
        token_id=token_id,
        lifetime=timedelta(minutes=5),
    )
    claims = decode_token(token, secret=SECRET, expected_type=TokenType.ACCESS)
    assert (claims.subject, claims.session_id, claims.token_id) == (subject, session_id, token_id)
    with pytest.raises(InvalidToken):
        decode_token(token, secret=SECRET, expected_type=TokenType.REFRESH)
    with pytest.raises(InvalidToken):
        decode_token(token, secret=SECRET + "x", expected_type=TokenType.ACCESS)


def test_a_token_verified_once_is_still_refused_after_it_expires(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = encode_token(
        secret=SECRET,
        token_type=TokenType.ACCESS,
        subject=uuid.uuid4(),
        session_id=uuid.uuid4(),
        token_id=uuid.uuid4(),
        lifetime=timedelta(minutes=5),
    )
    decode_token(token, secret=SECRET, expected_type=TokenType.ACCESS)  # verified, and cached
    later = datetime.now(UTC) + timedelta(minutes=6)

    class Later(datetime):
        @classmethod
        def now(cls, tz: object = None) -> "Later":
            return cls.fromtimestamp(later.timestamp(), UTC)

    monkeypatch.setattr(security, "datetime", Later)
    with pytest.raises(InvalidToken, match="expired"):
        decode_token(token, secret=SECRET, expected_type=TokenType.ACCESS)


def test_generated_keys_parse_and_match_only_themselves() -> None:
    first, second = generate_api_key(), generate_api_key()
    assert api_key_prefix(first.key) == first.prefix
    assert api_key_matches(first.key, first.secret_hash)
    assert not api_key_matches(second.key, first.secret_hash)
    assert first.prefix != second.prefix


@pytest.mark.parametrize(
    "candidate",
    [
        "",
        "co2k_",
        "co2k_abc_" + "x" * 40,
        "co2k_ABCDEF123456_" + "x" * 40,
        "co2k_0123456789ab" + "x" * 40,
        "co2k_0123456789ab_short",
    ],
)
def test_malformed_keys_have_no_prefix(candidate: str) -> None:
    assert api_key_prefix(candidate) is None


def test_passwords_verify_and_unusable_hashes_never_do() -> None:
    hashed = hash_password("some-password-1")
    assert verify_password("some-password-1", hashed)
    assert not verify_password("other-password-1", hashed)
    assert not verify_password("anything-at-all", unusable_password_hash())
    assert not verify_password("anything-at-all", None)
