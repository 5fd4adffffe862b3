// The session type the token and claims targets decode: one field of each kind that
// decodes differently (integer subject, bounded string, enum, nested struct, collection,
// option, float).

use paseto_session::{Bounded, Session};
use serde::{Deserialize, Serialize};

#[derive(Bounded, Serialize, Deserialize, Clone, Debug)]
pub enum Role {
    Reader,
    Admin,
}

#[derive(Bounded, Serialize, Deserialize, Clone, Debug)]
pub struct Address {
    #[session(max_len = 16)]
    pub city: String,
    pub zip: u32,
}

#[derive(Session, Clone, Debug)]
pub struct User {
    #[session(subject)]
    pub id: u64,
    #[session(max_len = 32)]
    pub name: String,
    pub role: Role,
    pub address: Option<Address>,
    #[session(max_items = 4, max_len = 8)]
    pub tags: Vec<String>,
    pub score: f64,
}
