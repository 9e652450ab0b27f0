//! The rows of one report, a page at a time: the API's pages of its document (`pages`), the
//! member list's batches (`batches`) or the country's ranked provinces (`national`); a list of
//! 90,000 members is never held at once.

use serde_json::{Value, json};

use super::batches::Batches;
use super::catalogue::{Paging, Report, Source};
use super::pages::{Asked, Cell, Heading, ReportError, rows_of, run, unit_heading, walk_one};
use crate::auth::Principal;
use crate::graphql::Api;

/// Reads the unit (the country, for a national report) and the period of `asked` as `principal`.
pub async fn heading(api: &Api, principal: &Principal, report: &Report, asked: &Asked) -> Result<Heading, ReportError> {
    if report.source == Source::Provinces {
        return super::national::heading(api, principal, &asked.period).await;
    }
    unit_heading(api, principal, asked).await
}

/// The rows of one report, a page at a time (a batch of thousands for a batched list).
pub struct Pager {
    api: Api,
    principal: Principal,
    report: &'static Report,
    variables: Value,
    /// None once the last page was read.
    after: Option<Option<String>>,
    batches: Option<Batches>,
}

impl Pager {
    /// The pages of `report` for `asked`, read as `principal`.
    pub fn new(api: Api, principal: Principal, report: &'static Report, asked: &Asked, heading: &Heading) -> Self {
        let variables = json!({
            "code": asked.code, "period": asked.period, "within": heading.unit_id,
            "from": heading.start, "to": heading.end, "granularity": asked.granularity,
        });
        let batches = (report.source == Source::Members).then(|| Batches::new(variables.clone()));
        Pager { api, principal, report, variables, after: Some(None), batches }
    }

    /// The next page of rows, or None after the last.
    pub async fn next_page(&mut self) -> Result<Option<Vec<Vec<Cell>>>, ReportError> {
        if let Some(batches) = &mut self.batches {
            return batches.next_batch(&self.api, &self.principal, self.report).await;
        }
        let Some(after) = self.after.take() else { return Ok(None) };
        if self.report.source == Source::Provinces {
            let rows = super::national::ranked_rows(&self.api, &self.principal, self.report, &self.variables).await?;
            return Ok(Some(rows));
        }
        let mut variables = self.variables.clone();
        variables["after"] = after.map_or(Value::Null, Value::String);
        let data = run(&self.api, &self.principal, self.report.document, variables).await?;
        if let Paging::Connection(path) = self.report.paging {
            let page_info = &walk_one(&data, path)["pageInfo"];
            if page_info["hasNextPage"] == Value::Bool(true) {
                self.after = Some(page_info["endCursor"].as_str().map(str::to_owned));
            }
        }
        Ok(Some(rows_of(self.report, &data)))
    }
}
