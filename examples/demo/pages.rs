//! The demo's HTML, kept apart from its logic.

/// Escapes text for HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>{title} · paseto-session demo</title>\
         <style>body{{font-family:sans-serif;max-width:40em;margin:2em auto;line-height:1.5}}\
         form{{display:inline}}code{{background:#eee;padding:0 .2em}}</style></head>\
         <body>{body}</body></html>\n"
    )
}

const LOGOUT_FORMS: &str = "<form method=\"post\" action=\"/logout\">\
    <button id=\"logout\">Log out</button></form> \
    <form method=\"post\" action=\"/logout-everywhere\">\
    <button id=\"logout-everywhere\">Log out everywhere</button></form>";

pub(crate) fn home(display_name: Option<&str>) -> String {
    let body = match display_name {
        Some(name) => format!(
            "<h1 id=\"greeting\">Hello, {}!</h1>\
             <p>Your session cookie was rotated when this page loaded. \
             Reload and it changes again.</p>\
             <p><a href=\"/protected\">Protected page</a></p>{LOGOUT_FORMS}",
            escape(name)
        ),
        None => "<h1 id=\"greeting\">Hello, visitor.</h1>\
                 <p><a href=\"/login\">Log in</a> as <code>alice</code> / \
                 <code>wonderland</code>.</p>"
            .to_owned(),
    };
    page("Home", &body)
}

pub(crate) fn login(problem: Option<&str>) -> String {
    let problem = problem
        .map(|text| format!("<p id=\"problem\" role=\"alert\">{}</p>", escape(text)))
        .unwrap_or_default();
    let body = format!(
        "<h1>Log in</h1>{problem}\
         <form method=\"post\" action=\"/login\">\
         <p><label>Username <input name=\"username\" autocomplete=\"username\"></label></p>\
         <p><label>Password <input name=\"password\" type=\"password\" \
         autocomplete=\"current-password\"></label></p>\
         <p><button id=\"submit\">Log in</button></p></form>"
    );
    page("Log in", &body)
}

/// The protected page fires parallel requests with the same cookie, as a busy page
/// does, and shows that the grace period lets every one of them through.
pub(crate) fn protected(display_name: &str) -> String {
    let body = format!(
        "<h1>Protected</h1><p>Only a logged-in visitor sees this, {}.</p>\
         <p>Eight parallel <code>fetch</code> calls to <code>/api/me</code>, \
         all sent with the same cookie:</p>\
         <ol id=\"results\"></ol><p id=\"summary\">running…</p>\
         <script>\
         const calls = Array.from({{length: 8}}, () => \
           fetch('/api/me', {{credentials: 'same-origin'}}).then(r => r.status));\
         Promise.all(calls).then(statuses => {{\
           const list = document.getElementById('results');\
           for (const status of statuses) {{\
             const item = document.createElement('li'); item.textContent = status;\
             list.appendChild(item); }}\
           const ok = statuses.filter(status => status === 200).length;\
           document.getElementById('summary').textContent = \
             ok + ' of ' + statuses.length + ' succeeded';\
         }});\
         </script>\
         <p><a href=\"/\">Home</a></p>{LOGOUT_FORMS}",
        escape(display_name)
    );
    page("Protected", &body)
}
