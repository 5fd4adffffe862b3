use std::collections::HashMap;

use paseto_session::Session;

#[derive(Session, Clone)]
struct User {
    labels: HashMap<String, String>,
}

fn main() {}
