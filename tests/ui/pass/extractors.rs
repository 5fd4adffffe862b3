// The session struct is an axum extractor, required or optional.
use axum::Router;
use axum::routing::get;
use paseto_session::Session;

#[derive(Session, Clone)]
struct User {
    #[session(subject)]
    id: u64,
}

async fn required(user: User) -> String {
    user.id.to_string()
}

async fn optional(user: Option<User>) -> String {
    user.map_or_else(String::new, |user| user.id.to_string())
}

fn main() {
    let _app: Router = Router::new()
        .route("/a", get(required))
        .route("/b", get(optional));
}
