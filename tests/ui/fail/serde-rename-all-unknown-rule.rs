// Without `Serialize` derived, serde does not report the rule itself; the bound still must.
use paseto_session::Bounded;

#[derive(Bounded)]
#[serde(rename_all = "title")]
enum Role {
    Reader,
    Writer,
}

fn main() {}
