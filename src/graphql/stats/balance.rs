//! `MembershipBalance`: the tăng / giảm balance of a unit's members over a period, computed in
//! `stats::membership_balance` from three grouped reads (opening stock, inflows, outflows) and the
//! closing stock, each batched over every unit asked for.

use async_graphql::{Context, Object, Result};

use super::figures::CategoryCount;
use super::unit_stats::{UnitStats, release};
use crate::domain::period::Period;
use crate::sql::dated::Category;
use crate::stats::Breakdown;
use crate::stats::disclosure::Release;
use crate::stats::membership_balance::Balance;

/// The tăng / giảm balance of one unit and period (see the `#[Object]` impl), with how its
/// reasons are released to the caller.
pub struct MembershipBalance(Balance, Release, Period);

impl MembershipBalance {
    pub(super) async fn load(ctx: &Context<'_>, stats: &UnitStats) -> Result<MembershipBalance> {
        let release = release(ctx)?;
        let (start, end, inflows, outflows) = futures::try_join!(
            stats.rows(ctx, Breakdown::MembersAtOpening),
            stats.rows(ctx, Breakdown::MembersByStatus),
            stats.rows_for(ctx, Breakdown::MembershipInflows, release),
            stats.rows_for(ctx, Breakdown::MembershipOutflows, release),
        )?;
        let moves: Vec<Category> = inflows.into_iter().chain(outflows).collect();
        Ok(MembershipBalance(Balance::assemble(&start, &end, &moves), release, stats.period))
    }

    /// One flow's reasons, under disclosure control for a role that may not read personal records.
    fn reasons(&self, flow: &str) -> Vec<CategoryCount> {
        CategoryCount::released(self.1.apply(self.0.reasons(flow), &self.2))
    }
}

/// Members at the start of the period, what came in and went out, by reason, and members at the
/// end; `membersAtStart + admitted + transferredIn − died − expelled − namesDeleted − left −
/// transferredOut = membersAtEnd` always holds.
#[Object]
impl MembershipBalance {
    /// Members on the day before the period starts.
    async fn members_at_start(&self) -> i64 {
        self.0.at_start
    }

    /// Members on the period's counted end (`UnitStats.members`).
    async fn members_at_end(&self) -> i64 {
        self.0.at_end
    }

    /// Kết nạp — admitted in the period (and roster members from their party-since date).
    async fn admitted(&self) -> i64 {
        self.0.flow("ADMITTED")
    }

    /// Admitted by source: `ADMISSION` (recorded in ketnap), `ROSTER` (loaded with a roster).
    async fn admitted_by_reason(&self) -> Vec<CategoryCount> {
        self.reasons("ADMITTED")
    }

    /// Chuyển đến — came into the unit: from outside the deployment, from a cell outside the
    /// unit, or with a cell the reorganisation placed under it.
    async fn transferred_in(&self) -> i64 {
        self.0.flow("TRANSFERRED_IN")
    }

    /// Transferred in by origin: `OTHER_PROVINCE`, `ARMED_FORCES`, `CENTRAL_AGENCIES`, `ABROAD`,
    /// `OTHER` (from outside the deployment), `WITHIN_DEPLOYMENT`, `REORGANISATION`.
    async fn transferred_in_by_reason(&self) -> Vec<CategoryCount> {
        self.reasons("TRANSFERRED_IN")
    }

    /// Từ trần — died.
    async fn died(&self) -> i64 {
        self.0.flow("DIED")
    }

    /// Died by reason.
    async fn died_by_reason(&self) -> Vec<CategoryCount> {
        self.reasons("DIED")
    }

    /// Khai trừ — expelled.
    async fn expelled(&self) -> i64 {
        self.0.flow("EXPELLED")
    }

    /// Expelled by reason.
    async fn expelled_by_reason(&self) -> Vec<CategoryCount> {
        self.reasons("EXPELLED")
    }

    /// Xóa tên — names deleted (not recognised after probation included).
    async fn names_deleted(&self) -> i64 {
        self.0.flow("NAME_DELETED")
    }

    /// Names deleted by reason (`NOT_RECOGNISED`, `ABSENT_FROM_MEETINGS`, …).
    async fn names_deleted_by_reason(&self) -> Vec<CategoryCount> {
        self.reasons("NAME_DELETED")
    }

    /// Xin ra khỏi Đảng — left at their own request.
    async fn left(&self) -> i64 {
        self.0.flow("LEFT")
    }

    /// Left by reason.
    async fn left_by_reason(&self) -> Vec<CategoryCount> {
        self.reasons("LEFT")
    }

    /// Chuyển đi — went out of the unit: to outside the deployment, to a cell outside the unit, or
    /// with a cell the reorganisation moved away.
    async fn transferred_out(&self) -> i64 {
        self.0.flow("TRANSFERRED_OUT")
    }

    /// Transferred out by destination: `OTHER_PROVINCE`, `ARMED_FORCES`, `CENTRAL_AGENCIES`,
    /// `ABROAD`, `OTHER`, `WITHIN_DEPLOYMENT`, `REORGANISATION`, `UNRECORDED`.
    async fn transferred_out_by_reason(&self) -> Vec<CategoryCount> {
        self.reasons("TRANSFERRED_OUT")
    }
}
