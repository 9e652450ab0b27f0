//! Text folding for search: Vietnamese names are matched without diacritics or case, so that
//! "tua chua" finds "Tủa Chùa" and "Ð" (U+00D0), "Đ" (U+0110) and "đ" all match "d".

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds `text` to lower-case ASCII-like letters without diacritics, with runs of white space
/// collapsed to one space. The stored `name_search` columns and every search query go through it.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut pending_space = false;
    for ch in text.nfd() {
        if is_combining_mark(ch) {
            continue;
        }
        if ch.is_whitespace() {
            pending_space = !folded.is_empty();
            continue;
        }
        if pending_space {
            folded.push(' ');
            pending_space = false;
        }
        match ch {
            // The crossed D letters do not decompose under NFD.
            'Đ' | 'đ' | 'Ð' | 'ð' => folded.push('d'),
            _ => folded.extend(ch.to_lowercase()),
        }
    }
    folded
}

/// Escapes `%`, `_` and `\` so a user's text is matched literally inside a LIKE pattern.
pub fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(ch);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese_diacritics_and_case() {
        assert_eq!(fold("Tủa Chùa"), "tua chua");
        assert_eq!(fold("Hừa Ngài"), "hua ngai");
        assert_eq!(fold("ĐIỆN BIÊN"), "dien bien");
        assert_eq!(fold("Ðiện Bàn"), "dien ban");
        assert_eq!(fold("  Xá   Nhè "), "xa nhe");
        assert_eq!(fold("Bắc Kạn"), "bac kan");
    }

    #[test]
    fn escapes_like_wildcards() {
        assert_eq!(escape_like("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
