//! Text folding for search: Vietnamese names are matched without diacritics or case, so that
//! "tua chua" finds "Tủa Chùa" and "Ð" (U+00D0), "Đ" (U+0110) and "đ" all match "d".

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::error::{AppError, AppResult};

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

/// The most words a search may hold, the longest word and the longest search, in characters:
/// enough for any Vietnamese name with its commune, and small enough that a search is a handful
/// of LIKE conditions, never an expression tree the database refuses.
pub const SEARCH_LIMITS: (usize, usize, usize) = (8, 40, 200);

/// Refuses a search beyond `SEARCH_LIMITS` (VALIDATION on `field`) before any work is done.
pub fn check_search(field: &'static str, text: &str) -> AppResult<()> {
    let (words, word_length, length) = SEARCH_LIMITS;
    if text.chars().count() > length {
        return Err(AppError::invalid(field, format!("a search is at most {length} characters")));
    }
    let mut count = 0;
    for word in text.split_whitespace() {
        count += 1;
        if count > words {
            return Err(AppError::invalid(field, format!("a search is at most {words} words")));
        }
        if word.chars().count() > word_length {
            return Err(AppError::invalid(field, format!("a search word is at most {word_length} characters")));
        }
    }
    Ok(())
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
