// Enums of unit variants and nested structs, bounded by `#[derive(Bounded)]` as serde
// writes them.
use paseto_session::{Bounded, Session};
use serde::{Deserialize, Serialize};

#[derive(Bounded, Serialize, Deserialize, Clone)]
enum Role {
    Reader,
    Administrator,
}

#[derive(Bounded, Serialize, Deserialize, Clone)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum Plan {
    Free,
    TeamMember,
    #[serde(rename = "x")]
    Custom,
}

#[derive(Bounded, Serialize, Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
struct Address {
    #[session(max_len = 40)]
    city: String,
    postal_code: u32,
    #[serde(rename = "cc", skip_serializing_if = "Option::is_none", default)]
    country: Option<Role>,
}

#[derive(Session, Clone)]
struct Member {
    role: Role,
    plan: Option<Plan>,
    address: Address,
    #[session(max_items = 3)]
    previous: Vec<Address>,
}

// `"Administrator"` is 15 bytes; `"TEAM_MEMBER"` 13.
const _: () = assert!(<Role as Bounded>::MAX_JSON_LEN == 15);
const _: () = assert!(<Plan as Bounded>::MAX_JSON_LEN == 13);
// `{"city":` 242 `,"postalCode":` 10 `,"cc":` 15 `}`.
const _: () = assert!(<Address as Bounded>::MAX_JSON_LEN == 8 + 242 + 14 + 10 + 6 + 15 + 1);

fn main() {}
