//! Text no caller means: a NUL or another control character, or a string of invisible characters
//! only (zero-width spaces, direction marks, a byte-order mark). They are refused with VALIDATION
//! before any work, wherever they come in: a variable's value or a literal in the document (as a
//! raw character or a `\u` escape). PostgreSQL cannot store a NUL, and invisible-only names make
//! records no one can find or tell apart.

use async_graphql::{ServerError, Value, Variables};

/// Characters that render as nothing: format characters a name never needs.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// A control character other than tab, line feed and carriage return.
fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Why `text` is refused, if it is.
fn fault(text: &str) -> Option<&'static str> {
    if text.chars().any(is_forbidden_control) {
        return Some("a text holds a control character (such as NUL), which no field accepts");
    }
    let visible = text.chars().any(|c| !c.is_whitespace() && !is_invisible(c));
    if !visible && text.chars().any(is_invisible) {
        return Some("a text holds only invisible characters");
    }
    None
}

/// The refusal of a request that carries text no caller means, if it does.
pub fn refusal(query: &str, variables: &Variables) -> Option<ServerError> {
    let reason = document_fault(query).or_else(|| variables.values().find_map(value_fault))?;
    let mut error = ServerError::new(reason, None);
    error.extensions.get_or_insert_with(Default::default).set("code", "VALIDATION");
    Some(error)
}

fn value_fault(value: &Value) -> Option<&'static str> {
    match value {
        Value::String(text) => fault(text),
        Value::List(items) => items.iter().find_map(value_fault),
        Value::Object(fields) => fields.values().find_map(value_fault),
        _ => None,
    }
}

/// Raw control characters in the document, and `\uXXXX` / `\u{…}` escapes of control or
/// invisible characters in its string literals.
fn document_fault(query: &str) -> Option<&'static str> {
    if let Some(reason) = fault(&query.replace(is_invisible, "")) {
        return Some(reason);
    }
    let mut rest = query;
    while let Some(at) = rest.find("\\u") {
        rest = &rest[at + 2..];
        let hex: String = match rest.strip_prefix('{') {
            Some(braced) => braced.chars().take_while(|c| *c != '}').take(8).collect(),
            None => rest.chars().take(4).collect(),
        };
        let escaped = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
        if escaped.is_some_and(|c| is_forbidden_control(c) || is_invisible(c)) {
            return Some("a text holds an escaped control or invisible character, which no field accepts");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_invisible_only_text_is_refused() {
        assert!(fault("Hồ Thị Lan").is_none());
        assert!(fault("  ").is_none(), "blank text is an empty optional field");
        assert!(fault("dòng 1\ndòng 2\t").is_none());
        assert!(fault("Hồ\u{0}Lan").is_some());
        assert!(fault("\u{200B}\u{FEFF}").is_some());
        assert!(fault("Lan\u{200B}").is_none(), "an invisible character beside visible ones is kept");
        assert!(document_fault(r#"{ people(search: "a\u0000b") { totalCount } }"#).is_some());
        assert!(document_fault(r#"{ people(search: "\u{200B}") { totalCount } }"#).is_some());
        assert!(document_fault(r#"{ people(search: "Lư\u01a1ng") { totalCount } }"#).is_none());
    }
}
