//! What several engine test files share.

/// The secret values planted in `tests/cases/secrets*` (each ends in a four-digit serial).
pub const PLANTED_SECRETS: [&str; 6] = [
    "base-db-pass-0001",
    "prod-db-pass-0002",
    "prod-api-token-0003",
    "cHJvZC1jZXJ0LTAwMDQ=",
    "prod-json-pass-0005",
    "prod-stripe-key-0006",
];
