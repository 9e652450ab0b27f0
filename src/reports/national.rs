//! The country's ranking: the provinces with their figures for a period, ranked by attainment.
//! No unit stands above the provinces, so `Unit.stats.ranking` cannot rank them; the API's
//! national view is `provinces { stats(period:) }`, and this report reads exactly that, as the
//! caller, and ranks its rows with `stats::ranking::rank`, the order `Unit.stats.ranking` gives
//! (best attainment against the assigned target first, ties by name, provinces without a target
//! last). Like `ranking`, it lists the provinces that existed during the period: one merged away
//! in the period is in, one dissolved before it or established after it is not.
//!
//! Country-wide figures are for a caller whose scope is the whole country: the API shows a
//! province's user only their own province, which a file titled as the country's ranking would
//! misstate, so the report is refused to them (FORBIDDEN) instead.

use serde_json::{Value, json};

use super::catalogue::Report;
use super::pages::{Cell, Heading, ReportError, cells_of, run};
use crate::auth::{Principal, Scope};
use crate::graphql::Api;
use crate::graphql::ids::from_global;
use crate::stats::attainment::Attainment;
use crate::stats::ranking::{Entry, rank};

/// What the title row names instead of a unit.
const COUNTRY: &str = "Toàn quốc";

/// The document that names the period (as the provinces' figures count it) for the title row.
const HEADING: &str = "query NationalHeading($period: PeriodInput!) {
  provinces(first: 1, includeDissolved: true) { nodes { stats(period: $period) { period { label start end } } } }
}";

/// The title row's country and period; FORBIDDEN unless the caller's scope is the country.
pub async fn heading(api: &Api, principal: &Principal, period: &Value) -> Result<Heading, ReportError> {
    if principal.scope != Scope::Country {
        return Err(ReportError::Refused {
            status: 403,
            code: "FORBIDDEN".to_owned(),
            message: "the national ranking covers every province: it needs a country-wide scope".to_owned(),
        });
    }
    let data = run(api, principal, HEADING, json!({ "period": period })).await?;
    let period = &data["provinces"]["nodes"][0]["stats"]["period"];
    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    Ok(Heading {
        unit_id: String::new(),
        code: "VN".to_owned(),
        name: COUNTRY.to_owned(),
        period_label: text(&period["label"]),
        start: text(&period["start"]),
        end: text(&period["end"]),
        official: None,
    })
}

/// Every row of the report, ranked.
pub async fn ranked_rows(
    api: &Api,
    principal: &Principal,
    report: &Report,
    variables: &Value,
) -> Result<Vec<Vec<Cell>>, ReportError> {
    let mut provinces = Vec::new();
    let mut after = Value::Null;
    loop {
        let mut page = variables.clone();
        page["after"] = after;
        let data = run(api, principal, report.document, page).await?;
        let connection = &data["provinces"];
        let nodes = connection["nodes"].as_array().map(Vec::as_slice).unwrap_or_default();
        provinces.extend(nodes.iter().filter(|node| existed_during(node)).cloned());
        if connection["pageInfo"]["hasNextPage"] != Value::Bool(true) {
            break;
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
    let entries = provinces.into_iter().map(|province| Entry {
        name: province["name"].as_str().unwrap_or_default().to_owned(),
        id: province["id"].as_str().and_then(|id| from_global(&id.into()).ok()).map_or(0, |(_, id)| id),
        attainment: attainment(&province["stats"]["attainment"]),
        item: province,
    });
    Ok(rank(entries.collect())
        .into_iter()
        .map(|ranked| {
            let mut province = ranked.item;
            province["rank"] = json!(ranked.rank);
            cells_of(report, None, &province)
        })
        .collect())
}

/// The API's attainment, as the ranking orders it.
fn attainment(value: &Value) -> Option<Attainment> {
    let target = i32::try_from(value["target"].as_i64()?).ok()?;
    Attainment::new(value["admissions"].as_i64()?, Some(target))
}

/// Whether the province existed during its figures' period (dates compare as `YYYY-MM-DD` text).
fn existed_during(province: &Value) -> bool {
    let period = &province["stats"]["period"];
    let (Some(start), Some(end)) = (period["start"].as_str(), period["end"].as_str()) else { return false };
    let established = province["establishedOn"].as_str().is_none_or(|day| day <= end);
    // As `tree_read::children_during`: dissolved on the first day, it had no day in the period.
    let dissolved_before = province["dissolvedOn"].as_str().is_some_and(|day| day <= start);
    established && !dissolved_before
}

#[cfg(test)]
mod tests {
    use super::*;

    fn province(established: &str, dissolved: Option<&str>) -> Value {
        json!({ "establishedOn": established, "dissolvedOn": dissolved,
                "stats": { "period": { "start": "2021-01-01", "end": "2021-12-31" } } })
    }

    #[test]
    fn a_province_counts_for_the_periods_it_existed_in() {
        assert!(existed_during(&province("1930-02-03", None)));
        assert!(existed_during(&province("1930-02-03", Some("2025-07-01"))), "merged away later");
        assert!(existed_during(&province("1930-02-03", Some("2021-06-30"))), "merged away in the period");
        assert!(!existed_during(&province("1930-02-03", Some("2021-01-01"))), "gone before it");
        assert!(!existed_during(&province("2022-01-01", None)), "established after it");
    }
}
