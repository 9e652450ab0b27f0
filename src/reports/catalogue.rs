//! Every downloadable report, declared once: the GraphQL document a frontend team would write for
//! the same table, where its rows are in the answer, and its columns (a stable name, the
//! Vietnamese header, where the value is in a row, and its type). Reports run through the public
//! API as the caller, so they carry exactly its authorization and disclosure rules.

/// The type of a column's cells: how XLSX types them and how CSV writes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A whole number (a count).
    Integer,
    /// A ratio (1.244 is 124.4 %): the exact value, shown with one decimal as a percentage.
    Percent,
    /// A calendar date (`YYYY-MM-DD` in the API), shown as dd/mm/yyyy.
    Date,
    /// Yes or no ("Có" / "Không").
    Flag,
}

/// One column of a report.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    /// The stable, English name (the CSV's second header line, and the API field it comes from).
    pub key: &'static str,
    /// The header a committee reads.
    pub header: &'static str,
    /// Where the value is in a row: field names, dot-separated (`person.fullName`).
    pub path: &'static str,
    pub kind: Kind,
}

/// How a report's rows are paged: through a connection (`first: 100, after: $after`), or all in
/// one answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paging {
    Single,
    /// The connection at this dot-separated path of `data`; its `pageInfo` and `nodes` are read.
    Connection(&'static str),
}

/// A report: its name in the URL, its title, its document and its columns.
#[derive(Debug)]
pub struct Report {
    pub name: &'static str,
    /// The title row's first words ("Xếp hạng các đơn vị trực thuộc"), before the unit and period.
    pub title: &'static str,
    /// Whether its rows are personal records (a `dashboard` token may not read those).
    pub personal: bool,
    /// Variables it may use: `$code`, `$period`, `$within` (the unit's ID), `$after`, `$from`,
    /// `$to` (the period's first and last day) and `$granularity`.
    pub document: &'static str,
    pub paging: Paging,
    /// Where the rows are: a dot-separated path of `data`, where `*` goes through each item of a
    /// list (`trainingClasses.nodes.*.enrolments`).
    pub rows: &'static str,
    pub columns: &'static [Column],
    /// The names a `*` over an object's fields gives its rows (the `@key` column), in Vietnamese.
    pub keys: &'static [(&'static str, &'static str)],
    /// Where its rows come from.
    pub source: Source,
}

/// Where a report's rows come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The API's answers to its document, page by page (`reports::pages`).
    Pages,
    /// `members(within:)`, read straight from the domain in large batches once the API let the
    /// caller read the list: its document runs as the caller with `$first: 1` first
    /// (`reports::batches`).
    Members,
    /// The provinces with their figures, as the API answers its document, ranked here as
    /// `Unit.stats.ranking` ranks the units below a unit (`reports::national`); a country-wide
    /// report, for a caller whose scope is the whole country.
    Provinces,
}

const fn col(key: &'static str, header: &'static str, path: &'static str, kind: Kind) -> Column {
    Column { key, header, path, kind }
}

/// The document that names the report's unit and period for its title row.
pub const HEADING: &str = "query ReportHeading($code: String!, $period: PeriodInput!) {
  unit(code: $code) { id code name stats(period: $period) { period { label start end }
    official { signOff { status signedOffAt signedOffBy approvedAt approvedBy } } } }
}";

const UNIT_FIGURES: &[Column] = &[
    col("code", "Mã đơn vị", "code", Kind::Text),
    col("name", "Tên đơn vị", "name", Kind::Text),
    col("admissions", "Số kết nạp", "stats.admissions", Kind::Integer),
    col("assignedTarget", "Chỉ tiêu giao", "stats.assignedTarget", Kind::Integer),
    col("attainment", "Tỷ lệ đạt (chỉ tiêu giao)", "stats.attainment.ratio", Kind::Percent),
    col("resolutionTarget", "Chỉ tiêu nghị quyết", "stats.resolutionTarget", Kind::Integer),
    col("recognitions", "Công nhận chính thức", "stats.recognitions", Kind::Integer),
    col("probationaryMembers", "Đảng viên dự bị", "stats.probationaryMembers", Kind::Integer),
    col("officialMembers", "Đảng viên chính thức", "stats.officialMembers", Kind::Integer),
    col("inSource", "Quần chúng trong nguồn", "stats.inSource", Kind::Integer),
];

const PERSON: Column = col("fullName", "Họ và tên", "person.fullName", Kind::Text);
const CELL: [Column; 2] =
    [col("cellCode", "Mã chi bộ", "cell.code", Kind::Text), col("cellName", "Chi bộ", "cell.name", Kind::Text)];

/// Every report, by name.
pub const REPORTS: &[Report] = &[
    Report {
        name: "ranking",
        title: "Xếp hạng các đơn vị trực thuộc theo tỷ lệ đạt chỉ tiêu",
        personal: false,
        document: "query Ranking($code: String!, $period: PeriodInput!) {
  unit(code: $code) { stats(period: $period) { ranking {
    rank unit { code name } attainment { target admissions ratio difference }
    stats { admissions assignedTarget resolutionTarget }
  } } }
}",
        paging: Paging::Single,
        rows: "unit.stats.ranking",
        columns: &[
            col("rank", "Thứ hạng", "rank", Kind::Integer),
            col("code", "Mã đơn vị", "unit.code", Kind::Text),
            col("name", "Tên đơn vị", "unit.name", Kind::Text),
            col("admissions", "Số kết nạp", "stats.admissions", Kind::Integer),
            col("assignedTarget", "Chỉ tiêu giao", "stats.assignedTarget", Kind::Integer),
            col("attainment", "Tỷ lệ đạt", "attainment.ratio", Kind::Percent),
            col("difference", "Chênh lệch so với chỉ tiêu", "attainment.difference", Kind::Integer),
            col("resolutionTarget", "Chỉ tiêu nghị quyết", "stats.resolutionTarget", Kind::Integer),
        ],
        keys: &[],
        source: Source::Pages,
    },
    Report {
        name: "national-ranking",
        title: "Xếp hạng các tỉnh, thành phố theo tỷ lệ đạt chỉ tiêu",
        personal: false,
        document: "query NationalRanking($period: PeriodInput!, $after: String) {
  provinces(first: 100, after: $after, includeDissolved: true) {
    pageInfo { hasNextPage endCursor }
    nodes { id code name establishedOn dissolvedOn stats(period: $period) {
      period { start end } admissions assignedTarget resolutionTarget
      attainment { target admissions ratio difference }
    } }
  }
}",
        paging: Paging::Connection("provinces"),
        rows: "provinces.nodes",
        columns: &[
            col("rank", "Thứ hạng", "rank", Kind::Integer),
            col("code", "Mã đơn vị", "code", Kind::Text),
            col("name", "Tên đơn vị", "name", Kind::Text),
            col("admissions", "Số kết nạp", "stats.admissions", Kind::Integer),
            col("assignedTarget", "Chỉ tiêu giao", "stats.assignedTarget", Kind::Integer),
            col("attainment", "Tỷ lệ đạt", "stats.attainment.ratio", Kind::Percent),
            col("difference", "Chênh lệch so với chỉ tiêu", "stats.attainment.difference", Kind::Integer),
            col("resolutionTarget", "Chỉ tiêu nghị quyết", "stats.resolutionTarget", Kind::Integer),
        ],
        keys: &[],
        source: Source::Provinces,
    },
    Report {
        name: "children",
        title: "Số liệu các đơn vị trực thuộc",
        personal: false,
        document: "query Children($code: String!, $period: PeriodInput!, $after: String) {
  unit(code: $code) { children(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { code name stats(period: $period) {
      admissions assignedTarget resolutionTarget attainment { ratio }
      recognitions probationaryMembers officialMembers inSource
    } }
  } }
}",
        paging: Paging::Connection("unit.children"),
        rows: "unit.children.nodes",
        columns: UNIT_FIGURES,
        keys: &[],
        source: Source::Pages,
    },
    Report {
        name: "time-series",
        title: "Kết nạp và công nhận chính thức theo thời gian",
        personal: false,
        document: "query TimeSeries($code: String!, $period: PeriodInput!, $granularity: TimeGranularity!) {
  unit(code: $code) { stats(period: $period) { timeSeries(granularity: $granularity) {
    label start end admissions recognitions
  } } }
}",
        paging: Paging::Single,
        rows: "unit.stats.timeSeries",
        columns: &[
            col("label", "Kỳ", "label", Kind::Text),
            col("start", "Từ ngày", "start", Kind::Date),
            col("end", "Đến ngày", "end", Kind::Date),
            col("admissions", "Số kết nạp", "admissions", Kind::Integer),
            col("recognitions", "Công nhận chính thức", "recognitions", Kind::Integer),
        ],
        keys: &[],
        source: Source::Pages,
    },
    Report {
        name: "breakdowns",
        title: "Cơ cấu đảng viên mới kết nạp",
        personal: false,
        document: "query Breakdowns($code: String!, $period: PeriodInput!) {
  unit(code: $code) { stats(period: $period) { ethnicity: admissionsByEthnicity { category count }
    gender: admissionsByGender { category count } ageBand: admissionsByAgeBand { category count }
    education: admissionsByGeneralEducation { category count }
    religion: admissionsByReligion { category count }
    nominatingBody: admissionsByNominatingBody { category count }
    occupation: admissionsByOccupation { category count }
  } }
}",
        paging: Paging::Single,
        rows: "unit.stats.*",
        columns: &[
            col("dimension", "Tiêu chí", "@key", Kind::Text),
            col("category", "Nhóm", "category", Kind::Text),
            col("count", "Số kết nạp", "count", Kind::Integer),
        ],
        keys: &[
            ("ethnicity", "Dân tộc"),
            ("gender", "Giới tính"),
            ("ageBand", "Độ tuổi"),
            ("education", "Trình độ giáo dục phổ thông"),
            ("religion", "Tôn giáo"),
            ("nominatingBody", "Nơi giới thiệu"),
            ("occupation", "Nghề nghiệp"),
        ],
        source: Source::Pages,
    },
    Report {
        name: "funnel",
        title: "Kết quả nguồn đã học lớp bồi dưỡng nhận thức về Đảng",
        personal: false,
        document: "query Funnel($code: String!, $period: PeriodInput!) {
  unit(code: $code) { stats(period: $period) { funnel {
    observedOn completed admitted removed stillInSource other
  } } }
}",
        paging: Paging::Single,
        rows: "unit.stats.funnel",
        columns: &[
            col("observedOn", "Tính đến ngày", "observedOn", Kind::Date),
            col("completed", "Đã học lớp nhận thức", "completed", Kind::Integer),
            col("admitted", "Đã kết nạp", "admitted", Kind::Integer),
            col("removed", "Đưa ra khỏi nguồn", "removed", Kind::Integer),
            col("stillInSource", "Còn trong nguồn", "stillInSource", Kind::Integer),
            col("other", "Khác", "other", Kind::Integer),
        ],
        keys: &[],
        source: Source::Pages,
    },
    Report {
        name: "candidates",
        title: "Danh sách quần chúng ưu tú trong nguồn",
        personal: true,
        document: "query Candidates($within: ID!, $after: String) {
  candidates(within: $within, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { person { fullName gender dateOfBirth ethnicity } cell { code name }
      nominatingBody nominatedOn status hasCompletedAwarenessClass }
  }
}",
        paging: Paging::Connection("candidates"),
        rows: "candidates.nodes",
        columns: &[
            PERSON,
            col("gender", "Giới tính", "person.gender", Kind::Text),
            col("dateOfBirth", "Ngày sinh", "person.dateOfBirth", Kind::Date),
            col("ethnicity", "Dân tộc", "person.ethnicity", Kind::Text),
            CELL[0],
            CELL[1],
            col("nominatingBody", "Nơi giới thiệu", "nominatingBody", Kind::Text),
            col("nominatedOn", "Ngày đưa vào nguồn", "nominatedOn", Kind::Date),
            col("status", "Tình trạng", "status", Kind::Text),
            col("hasCompletedAwarenessClass", "Đã học lớp nhận thức", "hasCompletedAwarenessClass", Kind::Flag),
        ],
        keys: &[],
        source: Source::Pages,
    },
    Report {
        name: "probation-review",
        title: "Đảng viên dự bị đến hạn xét công nhận chính thức",
        personal: true,
        document: "query ProbationReview($within: ID!, $after: String) {
  probationReview(within: $within, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { probationEndsOn daysRemaining isOverdue
      admission { person { fullName } cell { code name } decisionNumber decisionDate ceremonyDate } }
  }
}",
        paging: Paging::Connection("probationReview"),
        rows: "probationReview.nodes",
        columns: &[
            col("fullName", "Họ và tên", "admission.person.fullName", Kind::Text),
            col("cellCode", "Mã chi bộ", "admission.cell.code", Kind::Text),
            col("cellName", "Chi bộ", "admission.cell.name", Kind::Text),
            col("decisionNumber", "Số quyết định kết nạp", "admission.decisionNumber", Kind::Text),
            col("decisionDate", "Ngày quyết định", "admission.decisionDate", Kind::Date),
            col("ceremonyDate", "Ngày lễ kết nạp", "admission.ceremonyDate", Kind::Date),
            col("probationEndsOn", "Hết thời hạn dự bị", "probationEndsOn", Kind::Date),
            col("daysRemaining", "Số ngày còn lại", "daysRemaining", Kind::Integer),
            col("isOverdue", "Quá hạn", "isOverdue", Kind::Flag),
        ],
        keys: &[],
        source: Source::Pages,
    },
    Report {
        name: "members",
        title: "Danh sách đảng viên",
        personal: true,
        document: "query Members($within: ID!, $after: String, $first: Int = 100) {
  members(within: $within, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { person { fullName gender dateOfBirth ethnicity } status partySince officialSince cell { code name } }
  }
}",
        paging: Paging::Connection("members"),
        rows: "members.nodes",
        columns: &[
            PERSON,
            col("gender", "Giới tính", "person.gender", Kind::Text),
            col("dateOfBirth", "Ngày sinh", "person.dateOfBirth", Kind::Date),
            col("ethnicity", "Dân tộc", "person.ethnicity", Kind::Text),
            col("status", "Loại đảng viên", "status", Kind::Text),
            col("partySince", "Ngày vào Đảng", "partySince", Kind::Date),
            col("officialSince", "Ngày chính thức", "officialSince", Kind::Date),
            CELL[0],
            CELL[1],
        ],
        keys: &[],
        source: Source::Members,
    },
    Report {
        name: "classes",
        title: "Các lớp bồi dưỡng",
        personal: false,
        document: "query Classes($within: ID!, $from: Date, $to: Date, $after: String) {
  trainingClasses(within: $within, from: $from, to: $to, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { title kind organiser { code name } startsOn endsOn place enrolledCount completedCount }
  }
}",
        paging: Paging::Connection("trainingClasses"),
        rows: "trainingClasses.nodes",
        columns: &[
            col("title", "Tên lớp", "title", Kind::Text),
            col("kind", "Loại lớp", "kind", Kind::Text),
            col("organiserCode", "Mã đơn vị tổ chức", "organiser.code", Kind::Text),
            col("organiserName", "Đơn vị tổ chức", "organiser.name", Kind::Text),
            col("startsOn", "Khai giảng", "startsOn", Kind::Date),
            col("endsOn", "Bế giảng", "endsOn", Kind::Date),
            col("place", "Địa điểm", "place", Kind::Text),
            col("enrolledCount", "Số học viên", "enrolledCount", Kind::Integer),
            col("completedCount", "Số hoàn thành", "completedCount", Kind::Integer),
        ],
        keys: &[],
        source: Source::Pages,
    },
    Report {
        name: "class-rosters",
        title: "Danh sách học viên các lớp bồi dưỡng",
        personal: true,
        document: "query ClassRosters($within: ID!, $from: Date, $to: Date, $after: String) {
  trainingClasses(within: $within, from: $from, to: $to, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { enrolments { class { title startsOn } person { fullName } result certificateNumber certificateDate } }
  }
}",
        paging: Paging::Connection("trainingClasses"),
        rows: "trainingClasses.nodes.*.enrolments",
        columns: &[
            col("classTitle", "Tên lớp", "class.title", Kind::Text),
            col("classStartsOn", "Khai giảng", "class.startsOn", Kind::Date),
            PERSON,
            col("result", "Kết quả", "result", Kind::Text),
            col("certificateNumber", "Số giấy chứng nhận", "certificateNumber", Kind::Text),
            col("certificateDate", "Ngày cấp", "certificateDate", Kind::Date),
        ],
        keys: &[],
        source: Source::Pages,
    },
];

/// The report named `name`.
pub fn find(name: &str) -> Option<&'static Report> {
    REPORTS.iter().find(|report| report.name == name)
}
