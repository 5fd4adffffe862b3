//! The smallest session app the tests share: a member whose id is the subject, and a
//! route for each thing a session does.

use axum::Router;
use axum::extract::Path;
use axum::routing::get;
use paseto_session::{Session, SessionError, Sessions};

/// The session cookie's name under the default configuration.
pub const COOKIE: &str = "__Host-session";

/// Who is logged in.
#[derive(Session, Clone, Debug, PartialEq)]
pub struct Member {
    #[session(subject)]
    pub id: u64,
}

/// `/login/{id}` starts a session, `/me` answers the id, `/logout` ends the session and
/// `/logout-everywhere` every session of the member. Add the layer around them.
pub fn routes() -> Router {
    Router::new()
        .route("/login/{id}", get(login))
        .route("/me", get(me))
        .route("/logout", get(logout))
        .route("/logout-everywhere", get(logout_everywhere))
}

async fn login(
    sessions: Sessions<Member>,
    Path(id): Path<u64>,
) -> Result<&'static str, SessionError> {
    sessions.start(Member { id }).await?;
    Ok("welcome")
}

async fn me(member: Member) -> String {
    member.id.to_string()
}

async fn logout(sessions: Sessions<Member>) -> Result<&'static str, SessionError> {
    sessions.end().await?;
    Ok("bye")
}

async fn logout_everywhere(sessions: Sessions<Member>) -> Result<&'static str, SessionError> {
    sessions.end_everywhere().await?;
    Ok("bye everywhere")
}
