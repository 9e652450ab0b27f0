//! The calendar, on the ground floor for every layer: calendar dates as the committees use them:
//! plain dates in Vietnam's time zone (UTC+7, no daylight saving), and ages and periods counted in
//! whole months as the Charter counts them.

use chrono::{Datelike, Days, FixedOffset, Months, NaiveDate, Utc};

/// The sentinel end of an open validity interval; see `migration::OPEN_END`.
pub const OPEN_END: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(date) => date,
    None => panic!("9999-12-31 is a valid date"),
};

/// The first day of `date`'s month: the key of the monthly rollups' rows.
pub fn month_start(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// Today's date in Asia/Ho_Chi_Minh, so that a change made at 00:30 local time is dated today,
/// not yesterday (UTC).
pub fn today_in_vietnam() -> NaiveDate {
    date_in_vietnam(Utc::now())
}

/// The calendar date in Vietnam at `instant`.
pub fn date_in_vietnam(instant: chrono::DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&VIETNAM).date_naive()
}

/// Vietnam's civil time, UTC+7 all year.
pub const VIETNAM: FixedOffset = match FixedOffset::east_opt(7 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+7 is a valid offset"),
};

/// Whole months from `from` to `to` (0 when `to` is earlier): 18 full years is 216 months.
pub fn whole_months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    if to < from {
        return 0;
    }
    let mut months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if to.day() < from.day() && !is_last_day_reached(from, to) {
        months -= 1;
    }
    months.max(0) as u32
}

/// A day-of-month beyond the end of `to`'s month counts as reached on that month's last day
/// (born 31 January: a full month on 28/29 February).
fn is_last_day_reached(from: NaiveDate, to: NaiveDate) -> bool {
    to.checked_add_days(chrono::Days::new(1)).is_some_and(|next| next.month() != to.month()) && from.day() > to.day()
}

/// `date` plus `months` calendar months (clamped to the month's end).
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months)).unwrap_or(OPEN_END)
}

/// The latest start date from which `months` whole months have passed by `end`: a date `s` with
/// `s + months <= end` exactly when `s <= latest_start(end, months)`, counting as the Charter does
/// (`calendar::add_months`, `calendar::whole_months_between`: a day-of-month beyond a month's end is
/// reached on its last day). Turns "aged at least N" and "probation ended by D" into date bounds
/// the database compares with an index, on every backend, without date arithmetic in SQL.
pub fn latest_start(end: NaiveDate, months: u32) -> NaiveDate {
    let Some(start) = end.checked_sub_months(Months::new(months)) else {
        return NaiveDate::MIN;
    };
    if is_last_day_of_month(end) { last_day_of_month(start) } else { start }
}

fn is_last_day_of_month(date: NaiveDate) -> bool {
    date.checked_add_days(Days::new(1)).is_none_or(|next| next.month() != date.month())
}

fn last_day_of_month(date: NaiveDate) -> NaiveDate {
    let mut last = date;
    while !is_last_day_of_month(last) {
        last = last.succ_opt().unwrap_or(last);
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(OPEN_END)
    }

    #[test]
    fn counts_whole_months() {
        assert_eq!(whole_months_between(d(2003, 3, 2), d(2021, 3, 2)), 216);
        assert_eq!(whole_months_between(d(2003, 3, 2), d(2021, 3, 1)), 215);
        assert_eq!(whole_months_between(d(2003, 1, 31), d(2003, 2, 28)), 1);
        assert_eq!(whole_months_between(d(2021, 5, 1), d(2020, 5, 1)), 0);
    }

    #[test]
    fn dates_follow_vietnam_not_utc_around_midnight() {
        let late_utc = chrono::DateTime::parse_from_rfc3339("2021-03-01T17:30:00Z").map(|t| t.to_utc());
        assert_eq!(late_utc.map(date_in_vietnam).ok(), Some(d(2021, 3, 2)));
        let early_utc = chrono::DateTime::parse_from_rfc3339("2021-03-01T16:59:59Z").map(|t| t.to_utc());
        assert_eq!(early_utc.map(date_in_vietnam).ok(), Some(d(2021, 3, 1)));
    }

    #[test]
    fn adds_months_clamped() {
        assert_eq!(add_months(d(2021, 3, 2), 12), d(2022, 3, 2));
        assert_eq!(add_months(d(2020, 2, 29), 12), d(2021, 2, 28));
    }

    #[test]
    fn latest_start_matches_the_charter_month_count_on_every_day() {
        // Every end date over four years (leap day included), against every start near the bound.
        let mut end = d(2019, 1, 1);
        while end < d(2023, 1, 1) {
            for months in [1, 12, 18 * 12, 60 * 12 + 12] {
                let bound = latest_start(end, months);
                for offset in -40i64..=40 {
                    let start = bound + chrono::Duration::days(offset);
                    let elapsed = whole_months_between(start, end) >= months;
                    assert_eq!(start <= bound, elapsed, "end {end}, months {months}, start {start}");
                    assert_eq!(start <= bound, add_months(start, months) <= end, "end {end}, start {start}");
                }
            }
            end = end.succ_opt().unwrap_or(end);
        }
    }

    #[test]
    fn latest_start_examples() {
        assert_eq!(latest_start(d(2021, 3, 2), 12), d(2020, 3, 2));
        assert_eq!(latest_start(d(2021, 2, 28), 12), d(2020, 2, 29));
        assert_eq!(latest_start(d(2021, 2, 28), 1), d(2021, 1, 31));
    }
}
