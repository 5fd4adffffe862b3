use paseto_session::Session;

#[derive(Session, Clone, Copy)]
union User {
    id: u64,
    key: u32,
}

fn main() {}
