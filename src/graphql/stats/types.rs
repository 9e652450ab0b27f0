//! `UnitStats`: the same aggregate figures on every unit at every level, for any period. Each
//! resolver reads one figure through the stats DataLoader, so a list of units costs one statement
//! per figure; the output types live beside this file, one family each.

use async_graphql::{Context, Object, Result};

use super::balance::MembershipBalance;
use super::classes::{CandidateTraining, ClassKindCount};
use super::figures::{CategoryCount, TargetAllocation};
use super::funnel::Funnel;
use super::loader::{AllocationKey, FunnelKey, TrainingKey, funnel_observed_on};
use super::period::PeriodInfo;
use super::ranking::{self, RankingRow};
use super::series::{Projection, TimeBucket, TimeGranularity};
use super::unit_stats::{UnitStats, release};
use crate::calendar::today_in_vietnam;
use crate::domain::ethnicity::KINH;
use crate::entity::class::ClassKind;
use crate::entity::target::TargetKind;
use crate::error::AppError;
use crate::graphql::boxed::boxed;
use crate::graphql::context::loaders;
use crate::graphql::signoff::official::OfficialFigures;
use crate::sql::dated::Category;
use crate::stats::attainment::{Attainment, projected_percent};
use crate::stats::{Breakdown, Figure, series};

/// The aggregate figures of a unit's subtree for a period. Every count follows history: a fact
/// counts toward the units its cell belonged to on the fact's date (or, with `boundaries:
/// PERIOD_END`, on the period's last counted day); a figure "on the counted end"
/// counts what stood on the period's last counted day (`period.countedUntil`), under the units the
/// cells belonged to that day.
#[Object]
impl UnitStats {
    /// The period, resolved, and the target period attainment compares to.
    async fn period(&self) -> PeriodInfo {
        PeriodInfo(self.period)
    }

    /// Admissions (kết nạp) decided in the period in the unit's subtree.
    async fn admissions(&self, ctx: &Context<'_>) -> Result<i64> {
        match self.admissions_read_ahead() {
            Some(admissions) => Ok(admissions),
            None => boxed(self.count(ctx, Figure::Admissions)).await,
        }
    }

    /// The target assigned by the level above for the target period; null when none is set.
    async fn assigned_target(&self, ctx: &Context<'_>) -> Result<Option<i32>> {
        match self.target_read_ahead(TargetKind::Assigned) {
            Some(target) => Ok(target),
            None => boxed(self.target(ctx, TargetKind::Assigned)).await,
        }
    }

    /// The unit's own resolution target for the target period; null when none is set.
    async fn resolution_target(&self, ctx: &Context<'_>) -> Result<Option<i32>> {
        match self.target_read_ahead(TargetKind::Resolution) {
            Some(target) => Ok(target),
            None => boxed(self.target(ctx, TargetKind::Resolution)).await,
        }
    }

    /// Attainment against the assigned target (default) or the resolution target; null without one.
    async fn attainment(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "TargetKind::Assigned")] against: TargetKind,
    ) -> Result<Option<Attainment>> {
        match (self.admissions_read_ahead(), self.target_read_ahead(against)) {
            (Some(admissions), Some(target)) => Ok(Attainment::new(admissions, target)),
            _ => boxed(self.attainment_against(ctx, against)).await,
        }
    }

    /// Recognitions as official members decided in the period.
    async fn recognitions(&self, ctx: &Context<'_>) -> Result<i64> {
        boxed(self.count(ctx, Figure::Recognitions)).await
    }

    /// Probationary members not recognised (names deleted) by decisions in the period.
    async fn names_deleted(&self, ctx: &Context<'_>) -> Result<i64> {
        boxed(self.count(ctx, Figure::NamesDeleted)).await
    }

    /// Probationary members (đảng viên dự bị) on the counted end: a cell stint covering the day,
    /// membership not ended by then, official membership not yet begun.
    async fn probationary_members(&self, ctx: &Context<'_>) -> Result<i64> {
        boxed(self.sum_where(ctx, Breakdown::MembersByStatus, |status| status == "PROBATIONARY")).await
    }

    /// Official members (đảng viên chính thức) on the counted end: a cell stint covering the day,
    /// membership not ended by then, official since that day or earlier.
    async fn official_members(&self, ctx: &Context<'_>) -> Result<i64> {
        boxed(self.sum_where(ctx, Breakdown::MembersByStatus, |status| status == "OFFICIAL")).await
    }

    /// Members (đảng viên) on the counted end: probationary and official together.
    async fn members(&self, ctx: &Context<'_>) -> Result<i64> {
        boxed(self.sum_where(ctx, Breakdown::MembersByStatus, |_| true)).await
    }

    /// The membership balance of the period (tăng / giảm): members at the start + admitted +
    /// transferred in − died − expelled − names deleted − left − transferred out = members at the end.
    async fn membership_balance(&self, ctx: &Context<'_>) -> Result<MembershipBalance> {
        boxed(async move {
            self.dated_only("membershipBalance")?;
            MembershipBalance::load(ctx, self).await
        })
        .await
    }

    /// Active cells (chi bộ) in the subtree on the counted end (the unit itself when it is a cell).
    async fn cells(&self, ctx: &Context<'_>) -> Result<i64> {
        boxed(self.sum_where(ctx, Breakdown::UnitsByLevel, |level| level == "CELL")).await
    }

    /// Active grassroots organisations (đảng bộ cơ sở) in the subtree on the counted end (the unit
    /// itself when it is one).
    async fn communes(&self, ctx: &Context<'_>) -> Result<i64> {
        boxed(self.sum_where(ctx, Breakdown::UnitsByLevel, |level| level == "COMMUNE")).await
    }

    /// Active district-level organisations in the subtree on the counted end (the unit itself
    /// when it is one).
    async fn districts(&self, ctx: &Context<'_>) -> Result<i64> {
        boxed(self.sum_where(ctx, Breakdown::UnitsByLevel, |level| level == "DISTRICT")).await
    }

    /// Candidates in the source pool (nguồn) on the counted end: nominated by then, neither
    /// removed nor admitted by then.
    async fn in_source(&self, ctx: &Context<'_>) -> Result<i64> {
        boxed(self.count(ctx, Figure::InSource)).await
    }

    /// Nominations into the source pool (giới thiệu quần chúng ưu tú) dated in the period.
    async fn nominated(&self, ctx: &Context<'_>) -> Result<i64> {
        boxed(self.count(ctx, Figure::Nominated)).await
    }

    /// Removals from the source (đưa ra khỏi nguồn) dated in the period.
    async fn removed_from_source(&self, ctx: &Context<'_>) -> Result<i64> {
        boxed(self.sum_where(ctx, Breakdown::RemovalsByReason, |_| true)).await
    }

    /// Removals from the source dated in the period by reason (a RemovalReason), largest first.
    async fn removed_by_reason(&self, ctx: &Context<'_>) -> Result<Vec<CategoryCount>> {
        boxed(self.categories(ctx, Breakdown::RemovalsByReason)).await
    }

    /// Classes starting in the period organised by units of the subtree: of one kind, or of
    /// every kind when `kind` is null.
    async fn classes_held(&self, ctx: &Context<'_>, kind: Option<ClassKind>) -> Result<i64> {
        boxed(async move {
            let tallies = self.class_tallies(ctx).await?;
            Ok(tallies.iter().filter(|t| kind.is_none_or(|k| k == t.kind)).map(|t| t.classes).sum())
        })
        .await
    }

    /// Per kind of class (every kind listed, zeros included): classes starting in the period,
    /// attendance and completions.
    async fn class_attendance(&self, ctx: &Context<'_>) -> Result<Vec<ClassKindCount>> {
        boxed(async move { Ok(self.class_tallies(ctx).await?.into_iter().map(ClassKindCount::from).collect()) }).await
    }

    /// The training of the unit's own candidates, per kind of class (every kind listed, zeros
    /// included): the enrolments in classes starting in the period of the people in the source of
    /// the subtree's cells, counted by the candidate's cell on the class's first day, whoever
    /// organised the class — beside `classAttendance`, which counts toward the organiser.
    async fn candidate_training(&self, ctx: &Context<'_>) -> Result<Vec<CandidateTraining>> {
        boxed(async move {
            self.dated_only("candidateTraining")?;
            let key = TrainingKey { unit_id: self.unit_id, period: self.period };
            let tallies = loaders(ctx)?.stats.load_one(key).await?.unwrap_or_default();
            Ok(tallies.into_iter().map(CandidateTraining::from).collect())
        })
        .await
    }

    /// Admissions by ethnicity, largest first. This and every other breakdown of people (by
    /// gender, age band, education, religion, nominating body, occupation; removals, the
    /// funnel's removals and the membership balance by reason) is under disclosure control for a
    /// role that may not read personal records: see `Disclosure`.
    async fn admissions_by_ethnicity(&self, ctx: &Context<'_>) -> Result<Vec<CategoryCount>> {
        boxed(self.categories(ctx, Breakdown::AdmissionsByEthnicity)).await
    }

    /// Admissions of people of ethnic minorities (every group but the Kinh); null when withheld
    /// by disclosure control (it or the Kinh admissions below the threshold, see `Disclosure`).
    async fn ethnic_minority_admissions(&self, ctx: &Context<'_>) -> Result<Option<i64>> {
        boxed(
            async move { self.share_where(ctx, Breakdown::AdmissionsByEthnicity, |ethnicity| ethnicity != KINH).await },
        )
        .await
    }

    /// Admissions of Kinh people (the majority group); null when withheld by disclosure control.
    async fn kinh_admissions(&self, ctx: &Context<'_>) -> Result<Option<i64>> {
        boxed(
            async move { self.share_where(ctx, Breakdown::AdmissionsByEthnicity, |ethnicity| ethnicity == KINH).await },
        )
        .await
    }

    /// Admissions by gender (a Gender), largest first.
    async fn admissions_by_gender(&self, ctx: &Context<'_>) -> Result<Vec<CategoryCount>> {
        boxed(self.categories(ctx, Breakdown::AdmissionsByGender)).await
    }

    /// Admissions by age at the decision in whole years, counted as the Charter counts age (whole
    /// months from the date of birth): YOUTH_UP_TO_30, FROM_31_TO_45, FROM_46_TO_60, OVER_60;
    /// largest first.
    async fn admissions_by_age_band(&self, ctx: &Context<'_>) -> Result<Vec<CategoryCount>> {
        boxed(self.categories(ctx, Breakdown::AdmissionsByAgeBand)).await
    }

    /// Admissions by general education (a GeneralEducation), largest first.
    async fn admissions_by_general_education(&self, ctx: &Context<'_>) -> Result<Vec<CategoryCount>> {
        boxed(self.categories(ctx, Breakdown::AdmissionsByGeneralEducation)).await
    }

    /// Admissions by professional education (a ProfessionalEducation), largest first.
    async fn admissions_by_professional_education(&self, ctx: &Context<'_>) -> Result<Vec<CategoryCount>> {
        boxed(self.categories(ctx, Breakdown::AdmissionsByProfessionalEducation)).await
    }

    /// Admissions by religion (a Religion), largest first.
    async fn admissions_by_religion(&self, ctx: &Context<'_>) -> Result<Vec<CategoryCount>> {
        boxed(self.categories(ctx, Breakdown::AdmissionsByReligion)).await
    }

    /// Admissions by the body that nominated the person into the source (a NominatingBody;
    /// UNKNOWN for an admission recorded without a nomination), largest first.
    async fn admissions_by_nominating_body(&self, ctx: &Context<'_>) -> Result<Vec<CategoryCount>> {
        boxed(self.categories(ctx, Breakdown::AdmissionsByNominatingBody)).await
    }

    /// Admissions by occupation or role (an Occupation), largest first.
    async fn admissions_by_occupation(&self, ctx: &Context<'_>) -> Result<Vec<CategoryCount>> {
        boxed(self.categories(ctx, Breakdown::AdmissionsByOccupation)).await
    }

    /// The cohort of the awareness classes of the subtree certified in the period, and what
    /// became of it: admitted, removed, still in the source.
    async fn funnel(&self, ctx: &Context<'_>) -> Result<Funnel> {
        boxed(async move {
            self.dated_only("funnel")?;
            let key = FunnelKey { unit_id: self.unit_id, period: self.period };
            let tally = loaders(ctx)?.stats.load_one(key).await?.unwrap_or_default();
            Ok(Funnel::new(tally, funnel_observed_on(&self.period), release(ctx)?, &self.period))
        })
        .await
    }

    /// Admissions and recognitions per month or quarter of the period, in order; every bucket of
    /// the period is listed, zeros included. At most 120 buckets (ten years by month): a longer
    /// series is refused with VALIDATION before any query runs.
    async fn time_series(&self, ctx: &Context<'_>, granularity: TimeGranularity) -> Result<Vec<TimeBucket>> {
        boxed(async move {
            let granularity = granularity.into();
            let buckets = series::buckets(&self.period, granularity);
            if buckets.len() > series::MAX_BUCKETS {
                let message =
                    format!("a time series lists at most {} buckets: ask for a shorter period", series::MAX_BUCKETS);
                return Err(AppError::invalid("granularity", message).into());
            }
            let admissions = self.rows(ctx, Breakdown::AdmissionsOver(granularity));
            let recognitions = self.rows(ctx, Breakdown::RecognitionsOver(granularity));
            let (admissions, recognitions) = futures::try_join!(admissions, recognitions)?;
            let find = |rows: &[Category], key: &str| rows.iter().find(|c| c.name == key).map_or(0, |c| c.count);
            Ok(buckets
                .into_iter()
                .map(|bucket| TimeBucket {
                    admissions: find(&admissions, &bucket.key),
                    recognitions: find(&recognitions, &bucket.key),
                    label: bucket.label,
                    start: bucket.start.into(),
                    end: bucket.end.into(),
                })
                .collect())
        })
        .await
    }

    /// A projection of the period's admissions at the current pace (an estimate, not a count),
    /// against the assigned target (default) or the resolution target.
    async fn projection(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "TargetKind::Assigned")] against: TargetKind,
    ) -> Result<Projection> {
        boxed(async move {
            let (admissions_so_far, target) =
                futures::try_join!(self.count(ctx, Figure::Admissions), self.target(ctx, against))?;
            let elapsed_share = series::elapsed_share(&self.period, today_in_vietnam());
            let projected_total = series::projected_total(admissions_so_far, elapsed_share);
            let percent = projected_percent(projected_total, target);
            Ok(Projection {
                admissions_so_far,
                elapsed_share,
                projected_total,
                target,
                projected_attainment_percent: percent,
            })
        })
        .await
    }

    /// How much of the unit's target is handed down to its children.
    async fn allocation(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "TargetKind::Assigned")] kind: TargetKind,
    ) -> Result<Option<TargetAllocation>> {
        boxed(async move {
            let Some(period) = self.period.target_period else { return Ok(None) };
            let key = AllocationKey { unit_id: self.unit_id, kind, period };
            let stats = &loaders(ctx)?.stats;
            let (own_target, allocation) =
                futures::try_join!(self.target(ctx, kind), async { Ok(stats.load_one(key).await?) })?;
            let allocation = allocation.unwrap_or_default();
            Ok(Some(TargetAllocation {
                own_target,
                allocated_to_children: allocation.allocated,
                unallocated: own_target.map(|own| i64::from(own) - allocation.allocated),
                children_with_target: allocation.children_with_target,
                children: allocation.children,
            }))
        })
        .await
    }

    /// The units directly below during the period (a district merged away mid-year included),
    /// ranked by attainment against the assigned target
    /// (default) or the resolution target: best first, ties by name, units without a target last.
    /// Every figure of every row is loaded with one statement per figure for the whole list.
    async fn ranking(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "TargetKind::Assigned")] against: TargetKind,
    ) -> Result<Vec<RankingRow>> {
        boxed(ranking::ranking(ctx, self, against)).await
    }

    /// The figures as the unit signed them off for this period (số liệu chính thức), who signed
    /// off and approved them and when, and how the live figures differ; null when the unit has
    /// not signed off the period (or for a period counted `asOf` before its end).
    async fn official(&self, ctx: &Context<'_>) -> Result<Option<OfficialFigures>> {
        boxed(OfficialFigures::load(ctx, self)).await
    }
}
