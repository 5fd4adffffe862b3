//! serde's `rename_all` rules, applied to variant and field names, and the JSON form of a
//! name as serde_json writes it.

/// One of the case rules that `#[serde(rename_all = "...")]` accepts.
#[derive(Clone, Copy)]
pub(crate) enum RenameRule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

/// The rule names, as serde spells them, for error messages.
pub(crate) const RULE_NAMES: &str = "\"lowercase\", \"UPPERCASE\", \"PascalCase\", \
    \"camelCase\", \"snake_case\", \"SCREAMING_SNAKE_CASE\", \"kebab-case\" or \
    \"SCREAMING-KEBAB-CASE\"";

impl RenameRule {
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "lowercase" => Self::Lower,
            "UPPERCASE" => Self::Upper,
            "PascalCase" => Self::Pascal,
            "camelCase" => Self::Camel,
            "snake_case" => Self::Snake,
            "SCREAMING_SNAKE_CASE" => Self::ScreamingSnake,
            "kebab-case" => Self::Kebab,
            "SCREAMING-KEBAB-CASE" => Self::ScreamingKebab,
            _ => return None,
        })
    }

    /// A variant name, written in PascalCase in Rust, under this rule.
    pub(crate) fn apply_to_variant(self, variant: &str) -> String {
        match self {
            Self::Lower => variant.to_ascii_lowercase(),
            Self::Upper => variant.to_ascii_uppercase(),
            Self::Pascal => variant.to_owned(),
            Self::Camel => lower_first(variant),
            Self::Snake => words_joined(variant, '_'),
            Self::ScreamingSnake => words_joined(variant, '_').to_ascii_uppercase(),
            Self::Kebab => words_joined(variant, '-'),
            Self::ScreamingKebab => words_joined(variant, '-').to_ascii_uppercase(),
        }
    }

    /// A field name, written in snake_case in Rust, under this rule.
    pub(crate) fn apply_to_field(self, field: &str) -> String {
        match self {
            Self::Lower | Self::Snake => field.to_owned(),
            Self::Upper | Self::ScreamingSnake => field.to_ascii_uppercase(),
            Self::Pascal => capitalize_words(field),
            Self::Camel => lower_first(&capitalize_words(field)),
            Self::Kebab => field.replace('_', "-"),
            Self::ScreamingKebab => field.replace('_', "-").to_ascii_uppercase(),
        }
    }
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// `UserName` as `user_name`: a separator before each ASCII capital but the first.
fn words_joined(pascal: &str, separator: char) -> String {
    let mut joined = String::new();
    for (index, ch) in pascal.char_indices() {
        if ch.is_ascii_uppercase() && index > 0 {
            joined.push(separator);
        }
        joined.push(ch.to_ascii_lowercase());
    }
    joined
}

/// `user_name` as `UserName`.
fn capitalize_words(snake: &str) -> String {
    let mut capitalized = String::new();
    let mut word_start = true;
    for ch in snake.chars() {
        if ch == '_' {
            word_start = true;
        } else if word_start {
            capitalized.push(ch.to_ascii_uppercase());
            word_start = false;
        } else {
            capitalized.push(ch);
        }
    }
    capitalized
}

/// `name` as a JSON string, quotes included, exactly as serde_json writes it.
pub(crate) fn json_string(name: &str) -> String {
    let mut json = String::from('"');
    for ch in name.chars() {
        match ch {
            '"' => json.push_str("\\\""),
            '\\' => json.push_str("\\\\"),
            '\u{8}' => json.push_str("\\b"),
            '\u{c}' => json.push_str("\\f"),
            '\n' => json.push_str("\\n"),
            '\r' => json.push_str("\\r"),
            '\t' => json.push_str("\\t"),
            '\0'..='\u{1f}' => json.push_str(&format!("\\u{:04x}", ch as u32)),
            _ => json.push(ch),
        }
    }
    json.push('"');
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_rules_follow_serde() {
        let cases = [
            ("lowercase", "userid"),
            ("UPPERCASE", "USERID"),
            ("PascalCase", "UserId"),
            ("camelCase", "userId"),
            ("snake_case", "user_id"),
            ("SCREAMING_SNAKE_CASE", "USER_ID"),
            ("kebab-case", "user-id"),
            ("SCREAMING-KEBAB-CASE", "USER-ID"),
        ];
        for (rule, expected) in cases {
            let rule = RenameRule::from_name(rule).map(|rule| rule.apply_to_variant("UserId"));
            assert_eq!(rule.as_deref(), Some(expected));
        }
    }

    #[test]
    fn field_rules_follow_serde() {
        let cases = [
            ("lowercase", "user_id"),
            ("UPPERCASE", "USER_ID"),
            ("PascalCase", "UserId"),
            ("camelCase", "userId"),
            ("snake_case", "user_id"),
            ("SCREAMING_SNAKE_CASE", "USER_ID"),
            ("kebab-case", "user-id"),
            ("SCREAMING-KEBAB-CASE", "USER-ID"),
        ];
        for (rule, expected) in cases {
            let rule = RenameRule::from_name(rule).map(|rule| rule.apply_to_field("user_id"));
            assert_eq!(rule.as_deref(), Some(expected));
        }
    }

    #[test]
    fn json_strings_escape_as_serde_json_does() {
        assert_eq!(json_string("a\"b\\c\n\u{1}é"), "\"a\\\"b\\\\c\\n\\u0001é\"");
    }
}
