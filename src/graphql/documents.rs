//! The query documents the server has parsed, by their text: a dashboard sends the same few
//! documents over and over (with other variables), and parsing one is a good part of what a small
//! request costs the server (the drill-down's parse was about a tenth of its server time on the
//! benchmark). A request whose text was parsed before starts from a copy of that document; every
//! request is still validated and executed as its own.
//!
//! Only documents that parsed are kept (a parse error is reported as before), only small ones, and
//! only so many: when full, the set starts over, so the memory it holds is bounded whatever
//! callers send.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::Request;
use async_graphql::parser::types::ExecutableDocument;

/// The most documents kept at once.
const MAX_DOCUMENTS: usize = 128;
/// The longest query text kept, in bytes (the dashboards' documents are a few KiB).
const MAX_TEXT_BYTES: usize = 16 * 1024;

/// Parsed documents by query text, shared by the API's clones.
#[derive(Default, Clone)]
pub struct Documents(Arc<Mutex<HashMap<String, ExecutableDocument>>>);

impl Documents {
    /// Gives `request` its parsed document: a copy of the one parsed from the same text before,
    /// or parsed now (and kept when it parsed and is small). A document that does not parse is
    /// left for the execution to report.
    pub fn prepare(&self, request: &mut Request) {
        if let Some(document) = self.lock().get(&request.query) {
            request.set_parsed_query(document.clone());
            return;
        }
        let small = request.query.len() <= MAX_TEXT_BYTES;
        let Ok(document) = request.parsed_query() else { return };
        if !small {
            return;
        }
        let document = document.clone();
        let mut documents = self.lock();
        if documents.len() >= MAX_DOCUMENTS {
            documents.clear();
        }
        documents.insert(request.query.clone(), document);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, ExecutableDocument>> {
        // A panic while holding the lock cannot leave the map half-written: keep using it.
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The second request of a text starts from the first one's document (the same operations),
    /// a text that does not parse is not kept, and the set never holds more than its bound.
    #[test]
    fn a_text_parsed_once_is_not_parsed_again_and_the_set_stays_bounded() {
        let documents = Documents::default();
        let text = "query Drill($code: String!) { unit(code: $code) { code } }";
        let mut first = Request::new(text);
        documents.prepare(&mut first);
        assert_eq!(documents.lock().len(), 1);
        let mut second = Request::new(text);
        documents.prepare(&mut second);
        let parsed = second.parsed_query().expect("a document");
        assert!(format!("{:?}", parsed.operations).contains("Drill"), "the kept document");
        assert_eq!(documents.lock().len(), 1, "found, not added again");

        let mut broken = Request::new("{ unit(code: ");
        documents.prepare(&mut broken);
        assert_eq!(documents.lock().len(), 1, "a text that does not parse is not kept");
        assert!(broken.parsed_query().is_err(), "and still fails as before");

        for n in 0..MAX_DOCUMENTS + 5 {
            documents.prepare(&mut Request::new(format!("{{ a{n}: me {{ role }} }}")));
        }
        assert!(documents.lock().len() <= MAX_DOCUMENTS);
        let long = format!("{{ me {{ role }} }} # {}", "x".repeat(MAX_TEXT_BYTES));
        let before = documents.lock().len();
        documents.prepare(&mut Request::new(long));
        assert_eq!(documents.lock().len(), before, "a long text is parsed, not kept");
    }
}
