use paseto_session::Session;

#[derive(Session, Clone)]
struct User<T> {
    id: T,
}

fn main() {}
