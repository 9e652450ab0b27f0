//! `GET /reports/{name}.{xlsx|csv}?unit=CODE&year=2021` (or `period=<PeriodInput as JSON>`,
//! `granularity=MONTH|QUARTER`; the country's `national-ranking` takes no unit): a report of `reports::catalogue` as a download, with the same
//! bearer token, rate limit, authorization and disclosure rules as the GraphQL endpoint. CSV is
//! streamed page by page as the API answers; XLSX is written in constant memory and sent whole.

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use serde::Deserialize;
use serde_json::{Value, json};

use super::state::AppState;
use crate::auth::Principal;
use crate::graphql::Api;
use crate::reports::catalogue::{self, Report, Source};
use crate::reports::pager::{Pager, heading};
use crate::reports::pages::{Asked, Heading, ReportError};
use crate::reports::{csv, xlsx};

/// The URL parameters of a report.
#[derive(Deserialize)]
pub struct ReportParams {
    /// The unit's code.
    unit: Option<String>,
    /// A calendar year, the shorthand for `period={"year": …}`.
    year: Option<i32>,
    /// Any `PeriodInput`, as JSON.
    period: Option<String>,
    /// The time series' buckets: MONTH (default) or QUARTER.
    granularity: Option<String>,
}

/// Serves one report; `file` is `{name}.xlsx` or `{name}.csv`.
pub async fn download(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
    Query(params): Query<ReportParams>,
) -> Response {
    let Some((report, format)) =
        file.rsplit_once('.').and_then(|(name, format)| Some((catalogue::find(name)?, format)))
    else {
        return refusal(StatusCode::NOT_FOUND, "NOT_FOUND", &format!("no report is called '{file}'"));
    };
    let asked = match asked(report, params) {
        Ok(asked) => asked,
        Err(message) => return refusal(StatusCode::BAD_REQUEST, "VALIDATION", &message),
    };
    let principal = match state.authenticator.authenticate(&headers, &state.db).await {
        Ok(principal) => principal,
        Err(refusal) => return refusal.into_response(),
    };
    let heading = match heading(&state.api, &principal, report, &asked).await {
        Ok(heading) => heading,
        Err(error) => return failure(error),
    };
    match format {
        "csv" => stream_csv(state.api.clone(), principal, report, asked, heading).await,
        "xlsx" => whole_xlsx(&state.api, &principal, report, &asked, &heading).await,
        other => refusal(StatusCode::NOT_FOUND, "NOT_FOUND", &format!("reports come as .xlsx or .csv, not .{other}")),
    }
}

fn asked(report: &Report, params: ReportParams) -> Result<Asked, String> {
    let code = params.unit.filter(|code| !code.trim().is_empty());
    let code = match (report.source, code) {
        (Source::Provinces, None) => String::new(),
        (Source::Provinces, Some(_)) => return Err("the national ranking is the country's: it takes no unit".into()),
        (_, code) => code.ok_or("name the unit: unit=CODE")?,
    };
    let period = match (params.period, params.year) {
        (Some(text), None) => {
            serde_json::from_str::<Value>(&text).map_err(|err| format!("period is not JSON: {err}"))?
        }
        (None, Some(year)) => json!({ "year": year }),
        _ => return Err("give the period as year=YYYY or period={…} (a PeriodInput), one of the two".into()),
    };
    let granularity = params.granularity.unwrap_or_else(|| "MONTH".to_owned()).to_ascii_uppercase();
    Ok(Asked { code, period, granularity })
}

async fn whole_xlsx(
    api: &Api,
    principal: &Principal,
    report: &'static Report,
    asked: &Asked,
    heading: &Heading,
) -> Response {
    let mut workbook = match xlsx::XlsxReport::new(report, heading) {
        Ok(workbook) => workbook,
        Err(err) => return failure(ReportError::Internal(err.to_string())),
    };
    let mut pager = Pager::new(api.clone(), principal.clone(), report, asked, heading);
    loop {
        match pager.next_page().await {
            Ok(Some(rows)) => {
                if let Err(err) = workbook.rows(&rows) {
                    return failure(ReportError::Internal(err.to_string()));
                }
            }
            Ok(None) => break,
            Err(error) => return failure(error),
        }
    }
    match workbook.finish() {
        Ok(bytes) => file_response(
            report,
            heading,
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Body::from(bytes),
        ),
        Err(err) => failure(ReportError::Internal(err.to_string())),
    }
}

/// Streams the CSV: the first page is read before the response starts, so a refusal still gets
/// its status; a failure later ends the body early (the client sees a broken download).
async fn stream_csv(
    api: Api,
    principal: Principal,
    report: &'static Report,
    asked: Asked,
    heading: Heading,
) -> Response {
    let head = match csv::head(report, &heading) {
        Ok(head) => head,
        Err(err) => return failure(ReportError::Internal(err)),
    };
    let mut pager = Pager::new(api, principal, report, &asked, &heading);
    let first = match pager.next_page().await {
        Ok(rows) => rows.unwrap_or_default(),
        Err(error) => return failure(error),
    };
    // Two pages in flight at most: the API is read only as fast as the client downloads.
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(2);
    tokio::spawn(async move {
        let mut chunk = csv::rows(&first).map(|rows| [head, rows].concat());
        loop {
            let failed = chunk.is_err();
            if sender.send(chunk.map(Bytes::from).map_err(std::io::Error::other)).await.is_err() || failed {
                break;
            }
            chunk = match pager.next_page().await {
                Ok(Some(rows)) => csv::rows(&rows),
                Ok(None) => break,
                Err(error) => {
                    tracing::warn!(error.cause = ?error, "a CSV report failed after it started");
                    Err("the report failed".to_owned())
                }
            };
        }
    });
    file_response(report, &heading, "csv", "text/csv; charset=utf-8", Body::from_stream(stream_of(receiver)))
}

fn stream_of<T: Send + 'static>(
    mut receiver: tokio::sync::mpsc::Receiver<T>,
) -> impl futures::Stream<Item = T> + Send + 'static {
    futures::stream::poll_fn(move |context| receiver.poll_recv(context)).boxed()
}

fn file_response(report: &Report, heading: &Heading, extension: &str, media: &'static str, body: Body) -> Response {
    let period: String = heading
        .start
        .chars()
        .filter(|c| c.is_ascii_digit())
        .chain("-".chars())
        .chain(heading.end.chars().filter(|c| c.is_ascii_digit()))
        .collect();
    let code: String =
        heading.code.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '_' }).collect();
    let disposition = format!("attachment; filename=\"{}-{code}-{period}.{extension}\"", report.name);
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn failure(error: ReportError) -> Response {
    match error {
        ReportError::Refused { status, code, message } => {
            refusal(StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST), &code, &message)
        }
        ReportError::Internal(cause) => {
            tracing::error!(error.cause = %cause, "a report could not be produced");
            refusal(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", "the report could not be produced")
        }
    }
}

fn refusal(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (status, axum::Json(body)).into_response()
}
