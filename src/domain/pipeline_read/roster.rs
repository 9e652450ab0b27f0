//! The member list as a report writes it: each member with the person's fields and the current
//! cell's code and name, read in one statement per batch (a join, not a lookup per row), in the
//! order and keyset of `members_page`, so a province's 90,000 members are a few dozen statements
//! of thousands of rows rather than hundreds of pages, and never all in memory at once.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, FromQueryResult};

use super::keyset::{Keyed, Position, bounds};
use super::lists::member_query;
use crate::entity::vocabulary::{Gender, MemberStatus};
use crate::error::AppResult;
use crate::ids::UnitId;
use crate::sql::keyset::{Keyset, Slice, Window};

/// The statuses `members` lists unless told otherwise: the members there are now.
pub const CURRENT_MEMBERS: [MemberStatus; 2] = [MemberStatus::Probationary, MemberStatus::Official];

/// One member of the list, with what its columns show.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct MemberRow {
    pub member_id: i64,
    pub person_id: i64,
    /// The folded name the list is ordered by (the keyset's key).
    pub sort_name: String,
    pub full_name: String,
    pub gender: Gender,
    pub date_of_birth: NaiveDate,
    pub ethnicity: String,
    pub status: MemberStatus,
    pub party_since: NaiveDate,
    pub official_since: Option<NaiveDate>,
    pub cell_code: String,
    pub cell_name: String,
}

/// The members `members_page` lists in `window` (any size: a report reads thousands at a time),
/// each with the person's fields and the cell of the open stint.
pub async fn member_rows<C: ConnectionTrait>(
    db: &C,
    within: UnitId,
    statuses: &[MemberStatus],
    window: &Window<Position<String>>,
) -> AppResult<Slice<Keyed<String, MemberRow>>> {
    let window = bounds(window, |name| Some(name.clone().into()))?;
    let keyset = Keyset { columns: &["p.name_search", "m.id"], descending: false };
    let select = "m.id AS member_id, p.id AS person_id, p.name_search AS sort_name, p.full_name, p.gender, \
                  p.date_of_birth, p.ethnicity, m.status, m.party_since, m.official_since, \
                  u.code AS cell_code, u.name AS cell_name";
    let query = member_query(within, statuses)?.join("JOIN units u ON u.id = s.cell_id");
    let rows = query.page(db, select, keyset, &window).await?;
    rows.try_map(|row| {
        let member = MemberRow::from_query_result(&row, "")?;
        Ok((Position { key: member.sort_name.clone(), id: member.member_id }, member))
    })
}
